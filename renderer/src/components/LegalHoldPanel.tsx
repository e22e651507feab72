// Retention of a case's private notes: they are destroyed when the outcome goes to the central office or the case
// is wiped, unless a legal hold is set here (with its reason). Setting or lifting it is explicit and says what it does.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { LegalHoldView } from '../../../shared/contract';
import { call, messageOf } from '../api';
import { formatMoment } from '../format';
import { useApp } from '../store';
import { Button, ErrorMessage } from './ui';

export function LegalHoldPanel({ caseId }: { caseId: string }) {
  const showToast = useApp((state) => state.showToast);
  const [hold, setHold] = useState<LegalHoldView | null | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonId = useId();

  useEffect(() => {
    let live = true;
    call('annotations.legalHold', { caseId }).then(
      (current) => live && setHold(current),
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, [caseId]);

  async function set(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setError('Say why the legal hold is set.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setHold(await call('annotations.setLegalHold', { caseId, reason }));
      setEditing(false);
      showToast('Legal hold set: private notes of this case will be kept.', 'info');
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  async function clear() {
    setBusy(true);
    setError(null);
    try {
      await call('annotations.clearLegalHold', { caseId });
      setHold(null);
      showToast('Legal hold lifted: private notes will be destroyed when the outcome is sent or the case is wiped.', 'info');
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel legal-hold" aria-labelledby="legal-hold-title">
      <h2 id="legal-hold-title">Private notes and legal hold</h2>
      {hold === undefined && !error ? <p className="loading">Checking…</p> : null}
      {hold ? (
        <>
          <p>
            <strong>Legal hold is set.</strong> Private notes of this case are kept when the outcome is sent or the case is wiped. Reason: {hold.reason}{' '}
            <span className="muted">(since {formatMoment(hold.setAt)})</span>
          </p>
          <div className="button-row">
            <Button variant="quiet" busy={busy} busyLabel="Lifting…" onClick={() => void clear()}>
              Lift the legal hold
            </Button>
          </div>
        </>
      ) : null}
      {hold === null ? (
        <>
          <p className="muted">
            Private notes are destroyed when the outcome package is sent to the central office or the case is wiped. Set a legal hold to keep
            them, for example while a challenge to the decision is possible.
          </p>
          {editing ? (
            <form className="form" onSubmit={(event) => void set(event)} noValidate>
              <div className="field">
                <label htmlFor={reasonId} className="field-label">
                  Reason for the legal hold
                </label>
                <input id={reasonId} className="input" value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
              </div>
              <div className="button-row">
                <Button type="submit" variant="primary" busy={busy} busyLabel="Setting…">
                  Set legal hold
                </Button>
                <Button variant="quiet" onClick={() => setEditing(false)}>
                  Cancel
                </Button>
              </div>
            </form>
          ) : (
            <div className="button-row">
              <Button onClick={() => setEditing(true)}>Set a legal hold…</Button>
            </div>
          )}
        </>
      ) : null}
      <ErrorMessage>{error}</ErrorMessage>
    </section>
  );
}
