// "My declaration & training": every participant records their own conflict declaration and the date they
// completed the panel training, and sends them, signed, to the chair; the chair (or scribe) imports them.
import { useEffect, useState } from 'react';
import type { DecisionView, MyRecords } from '../../../../shared/domain/decision-draft-file';
import { call, messageOf } from '../../api';
import { formatDay } from '../../format';
import { useApp } from '../../store';
import { Button, CheckboxField, ErrorMessage, TextAreaField, TextField } from '../ui';

interface MyRecordsPanelProps {
  caseId: string;
  view: DecisionView;
  /** Called with the decision as it stands after a record changed it (the editor's own records go into the draft). */
  onView(view: DecisionView): void;
  /** Saves pending edits first, so a record merged into the draft never collides with them. */
  flush(): Promise<void>;
  nameOf(participantId: string): string;
}

const today = () => new Date().toISOString().slice(0, 10);

export function MyRecordsPanel({ caseId, view, onView, flush, nameOf }: MyRecordsPanelProps) {
  const showToast = useApp((state) => state.showToast);
  const [records, setRecords] = useState<MyRecords | null>(null);
  const [conflict, setConflict] = useState(false);
  const [details, setDetails] = useState('');
  const [recused, setRecused] = useState(false);
  const [declaredOn, setDeclaredOn] = useState(today());
  const [trainedOn, setTrainedOn] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isParticipant = view.me.participantId !== null;
  const isEditor = view.me.isChair || view.me.isScribe;

  useEffect(() => {
    if (!isParticipant) return;
    let live = true;
    call('decision.myRecords', { caseId }).then(
      (result) => {
        if (!live) return;
        setRecords(result);
        if (result.declaration) {
          setConflict(result.declaration.conflict);
          setDetails(result.declaration.details ?? '');
          setRecused(result.declaration.recused);
          if (result.declaration.declaredOn) setDeclaredOn(result.declaration.declaredOn);
        }
        if (result.training) setTrainedOn(result.training.completedOn);
      },
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, [caseId, isParticipant]);

  async function run(label: string, work: () => Promise<void>) {
    setBusy(label);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  }

  const recordDeclaration = () =>
    run('declaration', async () => {
      await flush();
      const result = await call('decision.recordMyDeclaration', {
        caseId,
        declaration: { conflict, recused: conflict && recused, declaredOn, ...(conflict && details.trim() ? { details: details.trim() } : {}) },
      });
      setRecords(result.records);
      onView(result.view);
      showToast('Your declaration is recorded.');
    });

  const recordTraining = () =>
    run('training', async () => {
      await flush();
      const result = await call('decision.recordMyTraining', { caseId, completedOn: trainedOn });
      setRecords(result.records);
      onView(result.view);
      showToast('Your training date is recorded.');
    });

  const exportRecords = () =>
    run('export', async () => {
      const result = await call('decision.exportMyDeclaration', { caseId });
      if (result.savedTo) showToast(`Your declaration was sealed for ${result.recipients.filter((r) => r.participantId !== view.me.participantId).map((r) => r.name).join(' and ')}.`);
    });

  const importDeclaration = () =>
    run('import', async () => {
      await flush();
      const result = await call('decision.importDeclaration', { caseId });
      if (!result) return;
      onView(result.view);
      showToast(result.changes.length > 0 ? `The records of ${nameOf(result.participantId)} are now in the draft.` : 'The draft already held those records.');
    });

  const locked = view.status === 'final' && isEditor;

  return (
    <section className="panel my-records" aria-labelledby="my-records-title">
      <div className="panel-header">
        <h2 id="my-records-title">My declaration &amp; training</h2>
        {isEditor ? (
          <Button onClick={importDeclaration} busy={busy === 'import'} busyLabel="Importing…" disabled={view.status === 'final'}>
            Import a declaration…
          </Button>
        ) : null}
      </div>
      {!isParticipant ? (
        <p className="muted">You are not a participant of this case, so you have nothing to declare in it.</p>
      ) : (
        <div className="my-records-grid">
          <fieldset className="fieldset" disabled={locked}>
            <legend className="field-label">Conflict of interest</legend>
            <div className="check-row" role="radiogroup" aria-label="Conflict of interest">
              <label className="radio">
                <input type="radio" name="my-conflict" checked={!conflict} onChange={() => setConflict(false)} /> I have no conflict
              </label>
              <label className="radio">
                <input type="radio" name="my-conflict" checked={conflict} onChange={() => setConflict(true)} /> I declare a conflict
              </label>
            </div>
            {conflict ? (
              <>
                <TextAreaField label="What the conflict is" rows={2} value={details} onChange={(event) => setDetails(event.target.value)} />
                <CheckboxField label="I step aside from this case (recused)" checked={recused} onChange={(event) => setRecused(event.target.checked)} />
              </>
            ) : null}
            <TextField label="Declared on" type="date" value={declaredOn} max={today()} onChange={(event) => setDeclaredOn(event.target.value)} />
            <Button onClick={recordDeclaration} busy={busy === 'declaration'} busyLabel="Recording…" disabled={!declaredOn}>
              Record my declaration
            </Button>
            <p className="field-hint my-records-state">
              {records?.declaration ? `Recorded: ${records.declaration.conflict ? 'conflict declared' : 'no conflict'}, ${formatDay(records.declaration.declaredOn)}.` : 'Not recorded yet.'}
            </p>
          </fieldset>
          <fieldset className="fieldset" disabled={locked}>
            <legend className="field-label">Panel training</legend>
            <TextField label="Training completed on" type="date" value={trainedOn} max={today()} onChange={(event) => setTrainedOn(event.target.value)} />
            <Button onClick={recordTraining} busy={busy === 'training'} busyLabel="Recording…" disabled={!trainedOn}>
              Record my training date
            </Button>
            <p className="field-hint my-records-state">{records?.training ? `Recorded: completed ${formatDay(records.training.completedOn)}.` : 'Not recorded yet.'}</p>
          </fieldset>
        </div>
      )}
      {isParticipant && !view.me.isChair ? (
        <div className="button-row">
          <Button onClick={exportRecords} busy={busy === 'export'} busyLabel="Sealing…" disabled={!records?.declaration && !records?.training}>
            Send to the chair…
          </Button>
          <p className="field-hint">Sealed and signed by you, for {view.chair?.name ?? 'the chair'} only.</p>
        </div>
      ) : null}
      <ErrorMessage>{error}</ErrorMessage>
    </section>
  );
}
