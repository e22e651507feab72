// Settings: how soon Hearing Desk locks itself, changing the passphrase, the optional OS keychain, and the signed
// criteria and decision history received from the central office.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { KeychainStatus, PublishedListView } from '../../../shared/contract';
import { assessPassphrase } from '../../../shared/passphrase-strength';
import { call, codeOf, messageOf } from '../api';
import { Fingerprint } from '../components/Fingerprint';
import { StrengthMeter } from '../components/StrengthMeter';
import { Button, ErrorMessage, Notice, PageHeading, SuccessMessage, TextField } from '../components/ui';

export function Settings() {
  return (
    <div className="page">
      <PageHeading description="These settings apply to your profile on this computer.">Settings</PageHeading>
      <IdleLockSection />
      <ChangePassphraseSection />
      <KeychainSection />
      <PublishedSection />
    </div>
  );
}

const MIN_MINUTES = 1;
const MAX_MINUTES = 240;

function IdleLockSection() {
  const [minutes, setMinutes] = useState('');
  const [saved, setSaved] = useState<number | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    call('settings.get', {}).then(
      (settings) => {
        if (!live) return;
        setMinutes(String(settings.idleLockMinutes));
        setSaved(settings.idleLockMinutes);
        setLoaded(true);
      },
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, []);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setSuccess(null);
    const value = Number(minutes.trim());
    if (!minutes.trim() || !Number.isInteger(value) || value < MIN_MINUTES || value > MAX_MINUTES) {
      setError(`Enter a whole number of minutes from ${MIN_MINUTES} to ${MAX_MINUTES}.`);
      inputRef.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const settings = await call('settings.update', { idleLockMinutes: value });
      setSaved(settings.idleLockMinutes);
      setMinutes(String(settings.idleLockMinutes));
      setSuccess(`Saved. Hearing Desk will lock after ${describeMinutes(settings.idleLockMinutes)} without activity.`);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="idle-title">
      <h2 id="idle-title">Automatic lock</h2>
      <p>When nobody uses Hearing Desk for a while, it locks itself so that papers left open on screen are protected.</p>
      <form className="form form-inline" onSubmit={save} noValidate>
        <TextField
          label="Lock after inactivity"
          hint={`In minutes, from ${MIN_MINUTES} to ${MAX_MINUTES}.${saved ? ` Currently ${describeMinutes(saved)}.` : ''}`}
          type="number"
          inputMode="numeric"
          min={MIN_MINUTES}
          max={MAX_MINUTES}
          step={1}
          className="field-short"
          value={minutes}
          disabled={!loaded}
          inputRef={inputRef}
          aria-invalid={error ? true : undefined}
          onChange={(event) => {
            setMinutes(event.target.value);
            setSuccess(null);
          }}
          after={<span className="input-suffix">minutes</span>}
        />
        <div className="form-actions">
          <Button type="submit" busy={busy} busyLabel="Saving…" aria-disabled={!loaded || undefined}>
            Save
          </Button>
        </div>
      </form>
      <ErrorMessage>{error}</ErrorMessage>
      <SuccessMessage>{success}</SuccessMessage>
    </section>
  );
}

function describeMinutes(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

function ChangePassphraseSection() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ current?: string; next?: string; confirm?: string }>({});
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const currentRef = useRef<HTMLInputElement>(null);
  const nextRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const meterId = useId();
  const strength = useMemo(() => assessPassphrase(next), [next]);

  async function change(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setSuccess(null);
    setError(null);
    const found: typeof fieldErrors = {};
    if (!current) found.current = 'Enter your current passphrase.';
    if (!next) found.next = 'Choose a new passphrase.';
    else if (!strength.acceptable) found.next = `The new passphrase is too weak. ${strength.advice}`;
    else if (next === current) found.next = 'The new passphrase is the same as the current one. Choose a different one.';
    if (next && confirm !== next) found.confirm = 'The two new passphrases do not match. Type the same passphrase twice.';
    setFieldErrors(found);
    const first = found.current ? currentRef : found.next ? nextRef : found.confirm ? confirmRef : null;
    if (first) {
      first.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await call('vault.changePassphrase', { current, next });
      setCurrent('');
      setNext('');
      setConfirm('');
      setSuccess('Your passphrase has been changed. Use the new one the next time you unlock Hearing Desk.');
    } catch (failure) {
      if (codeOf(failure) === 'wrong-passphrase') {
        setFieldErrors({ current: 'That is not your current passphrase. Nothing was changed.' });
        currentRef.current?.select();
      } else if (codeOf(failure) === 'weak-passphrase') {
        setFieldErrors({ next: messageOf(failure) });
        nextRef.current?.focus();
      } else {
        setError(messageOf(failure));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="passphrase-title">
      <h2 id="passphrase-title">Change passphrase</h2>
      <p>Your passphrase protects everything in your profile. Nobody can recover it for you, so choose one you will remember.</p>
      <form className="form" onSubmit={change} noValidate>
        <TextField
          label="Current passphrase"
          type="password"
          autoComplete="current-password"
          spellCheck={false}
          value={current}
          inputRef={currentRef}
          error={fieldErrors.current}
          onChange={(event) => setCurrent(event.target.value)}
        />
        <TextField
          label="New passphrase"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={next}
          inputRef={nextRef}
          error={fieldErrors.next}
          describedBy={meterId}
          onChange={(event) => setNext(event.target.value)}
          after={<StrengthMeter id={meterId} strength={strength} empty={next.length === 0} />}
        />
        <TextField
          label="Confirm new passphrase"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={confirm}
          inputRef={confirmRef}
          error={fieldErrors.confirm}
          onChange={(event) => setConfirm(event.target.value)}
        />
        <ErrorMessage>{error}</ErrorMessage>
        <SuccessMessage>{success}</SuccessMessage>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy} busyLabel="Changing passphrase…">
            Change passphrase
          </Button>
        </div>
      </form>
    </section>
  );
}

function KeychainSection() {
  const [status, setStatus] = useState<KeychainStatus | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    call('keychain.status', {}).then(
      (value) => live && setStatus(value),
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, []);

  async function enable(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setSuccess(null);
    if (!passphrase) {
      setError('Enter your passphrase to confirm it is you.');
      inputRef.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      setStatus(await call('keychain.enable', { passphrase }));
      setPassphrase('');
      setSuccess('Hearing Desk can now unlock with your system keychain on this computer.');
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  async function disable() {
    if (busy) return;
    setSuccess(null);
    setError(null);
    setBusy(true);
    try {
      setStatus(await call('keychain.disable', {}));
      setSuccess('Hearing Desk no longer keeps your passphrase in the system keychain. Type it to unlock.');
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="keychain-title">
      <h2 id="keychain-title">System keychain</h2>
      <p>
        Hearing Desk can keep your passphrase in this computer’s own protected keychain, so you can unlock without typing it. Anyone who can
        sign in to this computer as you could then open your profile.
      </p>
      {status === null && !error ? <p className="loading">Checking the system keychain…</p> : null}
      {status && !status.available ? (
        <Notice>
          <strong>Not available here.</strong> {status.reason ?? 'This computer has no system keychain Hearing Desk can use.'}
        </Notice>
      ) : null}
      {status?.available && status.enabled ? (
        <>
          <p className="status-line">
            <span className="badge badge-verified">On</span> Your passphrase is kept in the system keychain.
          </p>
          <div className="button-row">
            <Button onClick={() => void disable()} busy={busy} busyLabel="Turning off…">
              Stop using the system keychain
            </Button>
          </div>
        </>
      ) : null}
      {status?.available && !status.enabled ? (
        <form className="form form-inline" onSubmit={enable} noValidate>
          <TextField
            label="Your passphrase"
            hint="To turn this on, confirm your current passphrase."
            type="password"
            autoComplete="current-password"
            spellCheck={false}
            value={passphrase}
            inputRef={inputRef}
            onChange={(event) => setPassphrase(event.target.value)}
          />
          <div className="form-actions">
            <Button type="submit" busy={busy} busyLabel="Turning on…">
              Use the system keychain
            </Button>
          </div>
        </form>
      ) : null}
      <ErrorMessage>{error}</ErrorMessage>
      <SuccessMessage>{success}</SuccessMessage>
    </section>
  );
}

function PublishedSection() {
  const [held, setHeld] = useState<PublishedListView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState<'criteria' | 'history' | null>(null);

  useEffect(() => {
    let live = true;
    call('published.list', {}).then(
      (value) => live && setHeld(value),
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, []);

  async function importFile(kind: 'criteria' | 'history') {
    if (busy) return;
    setError(null);
    setSuccess(null);
    setBusy(kind);
    try {
      if (kind === 'criteria') {
        const result = await call('published.importCriteria', {});
        if (result) {
          const { criteria } = result;
          setSuccess(
            result.added
              ? `Imported “${criteria.title}” (${criteria.id} version ${criteria.version}), signed by ${criteria.signer.name}.`
              : `You already hold exactly these criteria (${criteria.id} version ${criteria.version}). Nothing changed.`,
          );
        }
      } else {
        const result = await call('published.importHistory', {});
        if (result) {
          const { history } = result;
          setSuccess(`Imported the decision history issued on ${history.issuedOn} by ${history.signer.name}: ${history.outcomes} earlier outcome${history.outcomes === 1 ? '' : 's'}.`);
        }
      }
      setHeld(await call('published.list', {}));
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel" aria-labelledby="published-title">
      <h2 id="published-title">Published criteria and history</h2>
      <p>
        Decisions are checked against the sanctions criteria the central office publishes, and compared with its anonymised history of earlier
        outcomes. Both files must be signed by a central-office contact whose fingerprint you verified in the address book.
      </p>
      {held === null && !error ? <p className="loading">Loading what you hold…</p> : null}
      {held ? (
        <>
          <h3>Criteria</h3>
          {held.criteria.length === 0 ? (
            <p className="muted">No signed criteria are held yet. Cases that name the built-in sample still use the sample.</p>
          ) : (
            <ul className="plain-list" aria-label="Criteria held">
              {held.criteria.map((criteria) => (
                <li key={`${criteria.id}@${criteria.version}`}>
                  <strong>{criteria.title}</strong> ({criteria.id} version {criteria.version}
                  {criteria.isSample ? ', a sample' : ''}), signed by {criteria.signer.name}{' '}
                  <Fingerprint value={criteria.signer.fingerprint} size="small" label="Signer fingerprint" />
                </li>
              ))}
            </ul>
          )}
          <h3>Decision history</h3>
          {held.histories.length === 0 ? (
            <p className="muted">No decision history is held, so the consistency of sanctions cannot be compared yet.</p>
          ) : (
            <ul className="plain-list" aria-label="Decision histories held">
              {held.histories.map((history) => (
                <li key={history.signer.fingerprint}>
                  {history.outcomes} earlier outcome{history.outcomes === 1 ? '' : 's'}, issued on {history.issuedOn} by {history.signer.name}{' '}
                  <Fingerprint value={history.signer.fingerprint} size="small" label="Signer fingerprint" />
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
      <div className="button-row">
        <Button onClick={() => void importFile('criteria')} busy={busy === 'criteria'} busyLabel="Verifying criteria…">
          Import signed criteria…
        </Button>
        <Button onClick={() => void importFile('history')} busy={busy === 'history'} busyLabel="Verifying history…">
          Import decision history…
        </Button>
      </div>
      <ErrorMessage>{error}</ErrorMessage>
      <SuccessMessage>{success}</SuccessMessage>
    </section>
  );
}
