// The decision workspace: the panel's reasoned decision, drafted in the order a decision reads (procedure, then
// each allegation, seriousness, sanction, orders and the publication summary), with the sanctions check running
// live beside it on every keystroke. The chair (or the scribe the chair named) edits; every change is saved as a
// new revision shortly after typing stops. Everyone else reads the draft the chair sent them, and sees what
// changed when they import a newer one. See docs/decision-draft.md.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AnchoredAnnotationView, CaseDetail } from '../../../shared/contract';
import { checkDecision, finaliseBlockers } from '../../../shared/checker';
import type { CheckResult, Finding } from '../../../shared/checker/result';
import { sampleCriteria } from '../../../shared/criteria';
import type { DraftChange } from '../../../shared/diff';
import type { CaseParticipant } from '../../../shared/domain/case';
import type { CriteriaDocument, SanctionRung } from '../../../shared/domain/criteria';
import { DecisionDraft, FINDINGS, type AllegationFinding, type FactorAssessment } from '../../../shared/domain/decision';
import { describeIssues, type DecisionView } from '../../../shared/domain/decision-draft-file';
import { call, messageOf } from '../api';
import { fieldId, focusFinding } from '../components/decision/fields';
import { FindingsPanel } from '../components/decision/FindingsPanel';
import { MyRecordsPanel } from '../components/decision/MyRecordsPanel';
import { Button, ErrorMessage, Notice, PageHeading } from '../components/ui';
import { bodyLabel, plural, roleLabel } from '../format';
import { useApp } from '../store';

/** Saving waits this long after the last keystroke, so a sentence is one revision rather than fifty. */
const SAVE_DELAY_MS = 700;

const FINDING_LABELS: Record<AllegationFinding, string> = { proven: 'Proven', 'not-proven': 'Not proven', withdrawn: 'Withdrawn' };

type SaveState = { kind: 'saved' } | { kind: 'pending' } | { kind: 'saving' } | { kind: 'invalid'; message: string } | { kind: 'failed'; message: string };

/** The criteria the live check uses: the shipped SAMPLE when the case names it; otherwise the saved check is shown. */
function liveCriteriaFor(check: CheckResult): CriteriaDocument | null {
  const sample = sampleCriteria();
  return sample.id === check.criteriaId && sample.version === check.criteriaVersion ? sample : null;
}

export function DecisionWorkspace({ caseId }: { caseId: string }) {
  const openDecision = useApp((state) => state.openDecision);
  const showToast = useApp((state) => state.showToast);
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [view, setView] = useState<DecisionView | null>(null);
  const [draft, setDraft] = useState<DecisionDraft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'saved' });
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [imported, setImported] = useState<{ previousRevision: number; revision: number; changes: DraftChange[] } | null>(null);
  /** The case's annotations this user can see, for citing those linked to an allegation as evidence relied on. */
  const [annotations, setAnnotations] = useState<AnchoredAnnotationView[]>([]);
  const edits = useRef(0);
  const savedEdits = useRef(0);
  const latest = useRef<{ view: DecisionView | null; draft: DecisionDraft | null }>({ view: null, draft: null });
  const saving = useRef<Promise<void> | null>(null);
  latest.current = { view, draft };

  useEffect(() => {
    let live = true;
    // Annotations are an aid here, not a prerequisite: a failure only leaves the list empty.
    call('annotations.list', { caseId }).then(
      (list) => live && setAnnotations(list.filter((item) => !item.annotation.deleted && item.annotation.content !== null)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [caseId]);

  useEffect(() => {
    let live = true;
    Promise.all([call('cases.get', { id: caseId }), call('decision.open', { caseId })]).then(
      ([caseDetail, decision]) => {
        if (!live) return;
        setDetail(caseDetail);
        setView(decision);
        setDraft(decision.draft);
      },
      (failure: unknown) => live && setLoadError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, [caseId]);

  /** Takes a view from the service as the new state; the local draft follows unless the user typed since. */
  const acceptView = useCallback((next: DecisionView, replaceDraft = true) => {
    setView(next);
    if (replaceDraft) {
      setDraft(next.draft);
      savedEdits.current = edits.current;
      setSaveState({ kind: 'saved' });
    }
  }, []);

  const saveNow = useCallback(async (): Promise<void> => {
    const { view: current, draft: local } = latest.current;
    if (!current || !local || !current.canEdit || savedEdits.current === edits.current) return;
    const parsed = DecisionDraft.safeParse(local);
    if (!parsed.success) {
      setSaveState({ kind: 'invalid', message: describeIssues(parsed.error.issues, 'draft') });
      return;
    }
    const sending = edits.current;
    setSaveState({ kind: 'saving' });
    try {
      const result = await call('decision.save', { caseId, draft: parsed.data, baseRevision: current.revision });
      latest.current.view = result;
      savedEdits.current = sending;
      setView(result);
      setSaveState(edits.current === sending ? { kind: 'saved' } : { kind: 'pending' });
    } catch (failure) {
      setSaveState({ kind: 'failed', message: messageOf(failure) });
    }
  }, [caseId]);

  /** Saves whatever is pending now (waiting for a save already under way), before an action that needs it stored. */
  const flush = useCallback(async (): Promise<void> => {
    while (saving.current) await saving.current;
    if (savedEdits.current === edits.current) return;
    const run = saveNow();
    saving.current = run;
    try {
      await run;
    } finally {
      saving.current = null;
    }
    if (savedEdits.current !== edits.current) throw new Error('The draft could not be saved. Put right what is marked and try again.');
  }, [saveNow]);

  useEffect(() => {
    if (saveState.kind !== 'pending') return;
    // flush() waits for a save already under way, so edits made during it are saved right after.
    const timer = window.setTimeout(() => void flush().catch(() => undefined), SAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [draft, saveState.kind, flush]);

  const update = useCallback((change: (next: DecisionDraft) => void) => {
    setDraft((current) => {
      if (!current) return current;
      const next = structuredClone(current);
      change(next);
      return next;
    });
    edits.current += 1;
    setSaveState({ kind: 'pending' });
  }, []);

  const criteria = useMemo(() => (view ? liveCriteriaFor(view.check) : null), [view?.check.criteriaId, view?.check.criteriaVersion]); // eslint-disable-line react-hooks/exhaustive-deps

  // The live check: the same pure function the service runs, on the draft as typed.
  const check = useMemo<CheckResult | null>(() => {
    if (!view || !draft || !detail) return null;
    if (!criteria) return view.check;
    try {
      return checkDecision(criteria, detail.caseFile, draft, { history: view.history });
    } catch {
      return view.check; // a value the schema refuses (it is reported by the save) is judged when put right
    }
  }, [criteria, detail, draft, view]);

  const back = (
    <Button variant="quiet" className="back-link" onClick={() => openDecision(false)}>
      <span aria-hidden="true">← </span>Back to the case
    </Button>
  );

  if (!view || !draft || !detail || !check) {
    return (
      <div className="page">
        {back}
        {loadError ? (
          <>
            <PageHeading>The decision cannot be opened</PageHeading>
            <ErrorMessage>{loadError}</ErrorMessage>
          </>
        ) : (
          <p className="loading" aria-live="polite">
            Opening the decision…
          </p>
        )}
      </div>
    );
  }

  const caseFile = detail.caseFile;
  const editable = view.canEdit;
  const final = view.status === 'final';
  const blockers = finaliseBlockers(check);
  const blocks = blockers.filter((finding) => finding.severity === 'block').length;
  const warnings = blockers.length - blocks;
  const people = caseFile.participants.filter((p) => p.role !== 'clerk');
  const nameOf = (id: string) => caseFile.participants.find((p) => p.id === id)?.name ?? id;

  async function act(label: string, work: () => Promise<void>) {
    setBusy(label);
    setActionError(null);
    try {
      await work();
    } catch (failure) {
      setActionError(failure instanceof Error ? failure.message : messageOf(failure));
    } finally {
      setBusy(null);
    }
  }

  const acknowledge = async (finding: Finding, reason: string) => {
    await flush();
    acceptView(await call('decision.acknowledge', { caseId, ruleId: finding.ruleId, fieldKey: finding.fieldKey, reason }));
  };

  const finalise = () =>
    act('finalise', async () => {
      await flush();
      const result = await call('decision.finalise', { caseId, baseRevision: latest.current.view!.revision });
      acceptView(result);
      showToast(`The decision is final (revision ${result.revision}).`);
    });

  const exportDraft = () =>
    act('export', async () => {
      await flush();
      const result = await call('decision.exportDraft', { caseId });
      if (result.savedTo) showToast(`Revision ${latest.current.view!.revision} was sealed for ${plural(result.recipients.length, 'person', 'people')} on the case.`);
    });

  const importDraft = () =>
    act('import', async () => {
      const result = await call('decision.importDraft', { caseId });
      if (!result) return;
      acceptView(result.view);
      setImported({ previousRevision: result.previousRevision, revision: result.view.revision, changes: result.changes });
    });

  const nameScribe = (participantId: string | null) =>
    act('scribe', async () => {
      acceptView(await call('decision.nameScribe', { caseId, participantId }), false);
      showToast(participantId ? `${nameOf(participantId)} may now write the draft with you; they learn it from your next export.` : 'Only you write the draft now.', 'info');
    });

  const finaliseHintId = 'finalise-hint';
  const finaliseHint =
    blockers.length > 0
      ? `Before it can be marked final: ${[blocks > 0 ? plural(blocks, 'block') + ' to fix' : '', warnings > 0 ? plural(warnings, 'warning') + ' to acknowledge' : ''].filter(Boolean).join(' and ')}.`
      : saveState.kind !== 'saved'
        ? 'Waiting for the draft to be saved.'
        : 'Nothing blocks this decision. Marking it final makes it read-only for everyone.';

  return (
    <div className="page page-wide decision-page">
      {back}
      <div className="page-header">
        <div>
          <p className="eyebrow mono">{view.caseReference}</p>
          <PageHeading description={`${detail.summary.title} · ${bodyLabel(caseFile.decidingBody)}`}>Decision</PageHeading>
        </div>
        <div className="page-header-actions">
          {editable ? (
            <Button onClick={exportDraft} busy={busy === 'export'} busyLabel="Sealing…" disabled={view.revision === 0 && edits.current === 0}>
              Export draft…
            </Button>
          ) : null}
          {!view.me.isChair && !view.me.isScribe && !final ? (
            <Button onClick={importDraft} busy={busy === 'import'} busyLabel="Importing…">
              Import draft…
            </Button>
          ) : null}
        </div>
      </div>

      <div className="decision-status" role="group" aria-label="Decision status">
        <span className={`badge ${final ? 'badge-verified' : 'badge-neutral'}`}>{final ? 'Final' : 'Draft'}</span>
        <SaveIndicator state={saveState} view={view} editable={editable} />
        <span className="decision-status-who">
          Written by {view.chair?.name ?? 'the chair'} (chair){view.scribe ? ` and ${view.scribe.name} (scribe)` : ''}
          {editable || final ? '' : ' · you are reading it'}
        </span>
      </div>

      {actionError ? <ErrorMessage>{actionError}</ErrorMessage> : null}
      {final ? <Notice>This decision was marked final at revision {view.revision}. It can no longer be changed.</Notice> : null}
      {!editable && !final && view.revision === 0 ? (
        <Notice>No draft from {view.chair?.name ?? 'the chair'} has been imported yet. When the chair sends you one, choose “Import draft…”.</Notice>
      ) : null}
      {imported ? <ChangesPanel imported={imported} draft={draft} onClose={() => setImported(null)} /> : null}

      <div className="decision-layout">
        <div className="decision-draft">
          <fieldset className="decision-fieldset" disabled={!editable}>
            <legend className="visually-hidden">The decision draft{editable ? '' : ' (read-only)'}</legend>

            <DraftSection id="procedure" title="Procedural matters">
              <div className="field-grid">
                <Field label="Decision date" path="decisionDate">
                  {(id) => (
                    <input
                      id={id}
                      className="input"
                      type="date"
                      value={draft.decisionDate ?? ''}
                      onChange={(event) => update((d) => void (d.decisionDate = event.target.value || null))}
                    />
                  )}
                </Field>
              </div>
              <ProceduralTable draft={draft} people={people} update={update} />
              <Field label="Summary of the external lawyer's advice" path="procedural.lawyerAdvice.summary" hint="What the lawyer advised the panel, in a few sentences.">
                {(id, describedBy) => (
                  <textarea
                    id={id}
                    className="input textarea-prose"
                    aria-describedby={describedBy}
                    value={draft.procedural.lawyerAdvice?.summary ?? ''}
                    onChange={(event) =>
                      update((d) => {
                        const summary = event.target.value;
                        const givenOn = d.procedural.lawyerAdvice?.givenOn;
                        d.procedural.lawyerAdvice = summary || givenOn ? { summary, ...(givenOn ? { givenOn } : {}) } : null;
                      })
                    }
                  />
                )}
              </Field>
              <div className="field-grid">
                <Field label="Advice given on" path="procedural.lawyerAdvice.givenOn">
                  {(id) => (
                    <input
                      id={id}
                      className="input"
                      type="date"
                      value={draft.procedural.lawyerAdvice?.givenOn ?? ''}
                      onChange={(event) =>
                        update((d) => {
                          const summary = d.procedural.lawyerAdvice?.summary ?? '';
                          const givenOn = event.target.value;
                          d.procedural.lawyerAdvice = summary || givenOn ? { summary, ...(givenOn ? { givenOn } : {}) } : null;
                        })
                      }
                    />
                  )}
                </Field>
              </div>
            </DraftSection>

            <DraftSection id="allegations" title="Findings on the allegations">
              {caseFile.allegations.map((allegation) => {
                const index = draft.allegations.findIndex((entry) => entry.number === allegation.number);
                if (index < 0) return null;
                const entry = draft.allegations[index]!;
                const base = `allegations.${index}`;
                return (
                  <div key={allegation.number} className="allegation-decision">
                    <h3>
                      Allegation {allegation.number}
                      <span className="allegation-rule"> · {allegation.ruleReference}</span>
                    </h3>
                    <p className="allegation-text">{allegation.text}</p>
                    <Field label="Facts found" path={`${base}.facts`}>
                      {(id) => <textarea id={id} className="input textarea-prose" value={entry.facts} onChange={(event) => update((d) => void (d.allegations[index]!.facts = event.target.value))} />}
                    </Field>
                    <Field label="Evidence relied on" path={`${base}.evidenceRefs`} hint="Bundle page labels, separated by commas (for example B2, C1).">
                      {(id, describedBy) => (
                        <EvidenceInput
                          id={id}
                          describedBy={describedBy}
                          value={entry.evidenceRefs.filter((ref) => !isAnnotationRef(ref))}
                          onChange={(refs) =>
                            update((d) => {
                              const current = d.allegations[index]!;
                              current.evidenceRefs = [...refs, ...current.evidenceRefs.filter(isAnnotationRef)];
                            })
                          }
                        />
                      )}
                    </Field>
                    <LinkedAnnotations
                      allegation={allegation.number}
                      annotations={annotations}
                      documents={detail.documents}
                      cited={entry.evidenceRefs}
                      disabled={!editable}
                      onToggle={(ref) =>
                        update((d) => {
                          const current = d.allegations[index]!;
                          current.evidenceRefs = current.evidenceRefs.includes(ref) ? current.evidenceRefs.filter((r) => r !== ref) : [...current.evidenceRefs, ref];
                        })
                      }
                    />
                    <fieldset id={fieldId(`${base}.finding`)} className="fieldset">
                      <legend className="field-label">Finding on allegation {allegation.number}</legend>
                      <div className="check-row">
                        {FINDINGS.map((value) => (
                          <label key={value} className="radio">
                            <input
                              type="radio"
                              name={`finding-${allegation.number}`}
                              checked={entry.finding === value}
                              onChange={() => update((d) => void (d.allegations[index]!.finding = value))}
                            />{' '}
                            {FINDING_LABELS[value]}
                          </label>
                        ))}
                      </div>
                    </fieldset>
                    <Field label={`Reasons for the finding on allegation ${allegation.number}`} path={`${base}.reasons`}>
                      {(id) => <textarea id={id} className="input textarea-prose" value={entry.reasons} onChange={(event) => update((d) => void (d.allegations[index]!.reasons = event.target.value))} />}
                    </Field>
                  </div>
                );
              })}
            </DraftSection>

            {criteria ? <SeriousnessSection draft={draft} criteria={criteria} update={update} /> : null}
            {criteria ? <SanctionSection draft={draft} criteria={criteria} body={caseFile.decidingBody} update={update} /> : null}

            <DraftSection id="orders" title="Orders">
              <CourseOrder draft={draft} update={update} />
              <Field label="Explanation of any delay" path="delayExplanation" hint="Needed only when a timescale was not met.">
                {(id, describedBy) => (
                  <textarea
                    id={id}
                    className="input textarea-prose"
                    aria-describedby={describedBy}
                    value={draft.delayExplanation ?? ''}
                    onChange={(event) =>
                      update((d) => {
                        if (event.target.value) d.delayExplanation = event.target.value;
                        else delete d.delayExplanation;
                      })
                    }
                  />
                )}
              </Field>
            </DraftSection>

            <DraftSection id="publication" title="Summary for publication">
              <Field
                label="Anonymised summary"
                path="publicationSummary"
                hint={`Published with the quarterly figures: no names, no initials, no places that identify anyone (the respondent is ${caseFile.respondent.pseudonym}).`}
              >
                {(id, describedBy) => (
                  <textarea id={id} className="input textarea-prose" rows={4} aria-describedby={describedBy} value={draft.publicationSummary} onChange={(event) => update((d) => void (d.publicationSummary = event.target.value))} />
                )}
              </Field>
            </DraftSection>
          </fieldset>

          {view.canFinaliseAsChair ? (
            <section className="panel finalise-panel" aria-labelledby="finalise-title">
              <h2 id="finalise-title">Chair's decisions</h2>
              <div className="scribe-choice">
                <label htmlFor="decision-scribe" className="field-label">
                  Scribe
                </label>
                <select id="decision-scribe" className="input select" value={view.scribe?.participantId ?? ''} disabled={busy === 'scribe'} onChange={(event) => nameScribe(event.target.value || null)}>
                  <option value="">Nobody (the chair writes)</option>
                  {caseFile.participants
                    .filter((p) => p.role === 'panellist' || p.role === 'clerk')
                    .map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name} ({roleLabel(p.role)})
                      </option>
                    ))}
                </select>
              </div>
              <p className="field-hint">A panellist or the clerk may write the draft with you; they learn it from your next export.</p>
              <h3 className="finalise-heading">Mark as final</h3>
              <p id={finaliseHintId} className="field-hint">
                {finaliseHint}
              </p>
              <Button variant="primary" onClick={finalise} busy={busy === 'finalise'} busyLabel="Finalising…" disabled={blockers.length > 0 || saveState.kind !== 'saved'} aria-describedby={finaliseHintId}>
                Mark as final
              </Button>
            </section>
          ) : null}

          <MyRecordsPanel caseId={caseId} view={view} onView={(next) => acceptView(next)} flush={flush} nameOf={nameOf} />
        </div>

        <FindingsPanel
          check={check}
          criteriaTitle={criteria?.title ?? null}
          canAcknowledge={editable}
          onFocusFinding={(finding) => focusFinding(draft, finding)}
          onAcknowledge={acknowledge}
        />
      </div>
    </div>
  );
}

function SaveIndicator({ state, view, editable }: { state: SaveState; view: DecisionView; editable: boolean }) {
  let text: ReactNode;
  let tone = '';
  if (!editable) text = view.revision > 0 ? `Revision ${view.revision}` : 'No draft yet';
  else if (state.kind === 'saving') text = 'Saving…';
  else if (state.kind === 'pending') text = 'Unsaved changes';
  else if (state.kind === 'invalid') {
    text = `Not saved: ${state.message}`;
    tone = 'is-error';
  } else if (state.kind === 'failed') {
    text = `Not saved: ${state.message}`;
    tone = 'is-error';
  } else text = view.revision > 0 ? `Saved · revision ${view.revision}` : 'Nothing saved yet';
  return (
    <span className={`decision-save-state ${tone}`} role="status">
      {text}
    </span>
  );
}

function DraftSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="panel draft-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

/** A labelled field whose control carries the id of its draft path, so findings and changes can focus it. */
function Field({ label, path, hint, children }: { label: string; path: string; hint?: string; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = fieldId(path);
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {children(id, hintId)}
    </div>
  );
}

const ANNOTATION_REF = 'annotation:';
/** Evidence relied on is a bundle page label ("B12") or a cited annotation ("annotation:<id>"). */
function isAnnotationRef(ref: string): boolean {
  return ref.startsWith(ANNOTATION_REF);
}

/** Annotations linked to this allegation in the reader, each citable as evidence relied on (with its quote or note). */
function LinkedAnnotations({
  allegation,
  annotations,
  documents,
  cited,
  disabled,
  onToggle,
}: {
  allegation: number;
  annotations: AnchoredAnnotationView[];
  documents: CaseDetail['documents'];
  cited: string[];
  disabled: boolean;
  onToggle(ref: string): void;
}) {
  const linked = annotations.filter((item) => item.annotation.content!.allegations.includes(allegation));
  const missing = cited.filter((ref) => isAnnotationRef(ref) && !linked.some((item) => `${ANNOTATION_REF}${item.annotation.id}` === ref));
  if (linked.length === 0 && missing.length === 0) {
    return <p className="field-hint linked-annotations-empty">No annotation is linked to allegation {allegation} yet. Link one in the reader to cite it here.</p>;
  }
  return (
    <section className="linked-annotations" aria-label={`Annotations linked to allegation ${allegation}`}>
      <h4 className="field-label">Annotations linked to allegation {allegation}</h4>
      <ul>
        {linked.map(({ annotation }) => {
          const content = annotation.content!;
          const ref = `${ANNOTATION_REF}${annotation.id}`;
          const isCited = cited.includes(ref);
          const document = documents.find((doc) => doc.id === content.documentId);
          const excerpt = content.kind === 'highlight' ? `“${content.quote.exact}”` : content.kind === 'area' ? 'Marked area' : '';
          return (
            <li key={annotation.id} className={isCited ? 'is-cited' : undefined}>
              <div className="linked-annotation-text">
                <span className="linked-annotation-where">
                  {document ? `${document.firstLabel === document.lastLabel ? document.firstLabel : `${document.firstLabel}–${document.lastLabel}`} · ${document.title}` : 'A document'} · {annotation.author.name}
                </span>
                {excerpt ? <span className="linked-annotation-quote">{excerpt}</span> : null}
                {content.note ? <span className="linked-annotation-note">{content.note}</span> : null}
              </div>
              <Button
                variant={isCited ? 'secondary' : 'quiet'}
                disabled={disabled}
                aria-pressed={isCited}
                aria-label={`${isCited ? 'Cited' : 'Cite'} as evidence for allegation ${allegation}: ${excerpt || content.note || 'annotation'}`}
                onClick={() => onToggle(ref)}
              >
                {isCited ? 'Cited ✓' : 'Cite'}
              </Button>
            </li>
          );
        })}
        {missing.map((ref) => (
          <li key={ref}>
            <div className="linked-annotation-text">
              <span className="linked-annotation-where">A cited annotation you cannot see on this computer</span>
            </div>
            <Button variant="quiet" disabled={disabled} onClick={() => onToggle(ref)} aria-label={`Remove the citation of an annotation not on this computer from allegation ${allegation}`}>
              Remove
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function EvidenceInput({ id, describedBy, value, onChange }: { id: string; describedBy?: string; value: string[]; onChange(refs: string[]): void }) {
  const [text, setText] = useState(value.join(', '));
  return (
    <input
      id={id}
      className="input"
      aria-describedby={describedBy}
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        onChange(
          event.target.value
            .split(',')
            .map((ref) => ref.trim())
            .filter((ref) => ref.length > 0),
        );
      }}
    />
  );
}

type Update = (change: (next: DecisionDraft) => void) => void;

const DECLARATION_CHOICES = [
  { value: '', label: 'Not recorded' },
  { value: 'none', label: 'No conflict' },
  { value: 'recused', label: 'Conflict, stood aside' },
  { value: 'sitting', label: 'Conflict, still sitting' },
];

/** Attendance, declarations and training, one row per person on the case. */
function ProceduralTable({ draft, people, update }: { draft: DecisionDraft; people: CaseParticipant[]; update: Update }) {
  const upsert = <K extends 'attendance' | 'declarations' | 'training'>(list: K, participantId: string, entry: DecisionDraft['procedural'][K][number] | null) =>
    update((d) => {
      const items = d.procedural[list] as { participantId: string }[];
      const index = items.findIndex((item) => item.participantId === participantId);
      if (entry === null) {
        if (index >= 0) items.splice(index, 1);
      } else if (index >= 0) items[index] = entry;
      else items.push(entry);
    });
  return (
    <div id={fieldId('procedural')} className="people-procedure">
      {people.map((person) => {
        const attendance = draft.procedural.attendance.find((a) => a.participantId === person.id);
        const declaration = draft.procedural.declarations.find((a) => a.participantId === person.id);
        const training = draft.procedural.training.find((a) => a.participantId === person.id);
        const choice = !declaration ? '' : !declaration.conflict ? 'none' : declaration.recused ? 'recused' : 'sitting';
        const of = <span className="visually-hidden"> of {person.name}</span>;
        const ids = {
          attendance: fieldId(`procedural.attendance.${person.id}`),
          declaration: fieldId(`procedural.declarations.${person.id}`),
          declaredOn: fieldId(`procedural.declarations.${person.id}.declaredOn`),
          training: fieldId(`procedural.training.${person.id}`),
        };
        return (
          <div key={person.id} className="person-procedure" role="group" aria-labelledby={`${ids.attendance}-person`}>
            <p id={`${ids.attendance}-person`} className="person-procedure-name">
              <span className="person-name">{person.name}</span>
              <span className="person-role">{roleLabel(person.role)}</span>
            </p>
            <div className="person-procedure-fields">
              <div className="field">
                <label htmlFor={ids.attendance} className="field-label">
                  Attendance{of}
                </label>
                <select
                  id={ids.attendance}
                  className="input select"
                  value={attendance ? (attendance.present ? 'present' : 'absent') : ''}
                  onChange={(event) => upsert('attendance', person.id, event.target.value ? { participantId: person.id, present: event.target.value === 'present' } : null)}
                >
                  <option value="">Not recorded</option>
                  <option value="present">Present</option>
                  <option value="absent">Absent</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor={ids.declaration} className="field-label">
                  Declaration{of}
                </label>
                <select
                  id={ids.declaration}
                  className="input select"
                  value={choice}
                  onChange={(event) => {
                    const value = event.target.value;
                    upsert(
                      'declarations',
                      person.id,
                      value
                        ? { participantId: person.id, conflict: value !== 'none', recused: value === 'recused', ...(declaration?.details ? { details: declaration.details } : {}), ...(declaration?.declaredOn ? { declaredOn: declaration.declaredOn } : {}) }
                        : null,
                    );
                  }}
                >
                  {DECLARATION_CHOICES.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={ids.declaredOn} className="field-label">
                  Declared on<span className="visually-hidden"> by {person.name}</span>
                </label>
                <input
                  id={ids.declaredOn}
                  type="date"
                  className="input"
                  disabled={!declaration}
                  value={declaration?.declaredOn ?? ''}
                  onChange={(event) => {
                    if (!declaration) return;
                    const { declaredOn: _previous, ...rest } = declaration;
                    upsert('declarations', person.id, event.target.value ? { ...rest, declaredOn: event.target.value } : rest);
                  }}
                />
              </div>
              <div className="field">
                <label htmlFor={ids.training} className="field-label">
                  Training completed<span className="visually-hidden"> by {person.name}</span>
                </label>
                <input
                  id={ids.training}
                  type="date"
                  className="input"
                  value={training?.completedOn ?? ''}
                  onChange={(event) => upsert('training', person.id, event.target.value ? { participantId: person.id, completedOn: event.target.value } : null)}
                />
              </div>
            </div>
          </div>
        );
      })}
    </div>
  );
}

const EMPTY_SERIOUSNESS: NonNullable<DecisionDraft['seriousness']> = { band: null, culpability: '', harm: '', aggravating: null, mitigating: null };

function SeriousnessSection({ draft, criteria, update }: { draft: DecisionDraft; criteria: CriteriaDocument; update: Update }) {
  const seriousness = draft.seriousness ?? EMPTY_SERIOUSNESS;
  const change = (mutate: (s: NonNullable<DecisionDraft['seriousness']>) => void) =>
    update((d) => {
      const next = structuredClone(d.seriousness ?? EMPTY_SERIOUSNESS);
      mutate(next);
      d.seriousness = next;
    });
  return (
    <DraftSection id="seriousness" title="Seriousness">
      <div id={fieldId('seriousness')} className="field-grid">
        <Field label="Seriousness band" path="seriousness.band">
          {(id) => (
            <select id={id} className="input select" value={seriousness.band ?? ''} onChange={(event) => change((s) => void (s.band = event.target.value || null))}>
              <option value="">Choose…</option>
              {criteria.seriousnessBands.map((band) => (
                <option key={band.id} value={band.id}>
                  {band.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label="Culpability" path="seriousness.culpability">
        {(id) => <textarea id={id} className="input textarea-prose" value={seriousness.culpability} onChange={(event) => change((s) => void (s.culpability = event.target.value))} />}
      </Field>
      <Field label="Harm" path="seriousness.harm">
        {(id) => <textarea id={id} className="input textarea-prose" value={seriousness.harm} onChange={(event) => change((s) => void (s.harm = event.target.value))} />}
      </Field>
      <FactorList
        kind="aggravating"
        title="Aggravating factors"
        factors={criteria.aggravatingFactors}
        value={seriousness.aggravating}
        onChange={(value) => change((s) => void (s.aggravating = value))}
      />
      <FactorList kind="mitigating" title="Mitigating factors" factors={criteria.mitigatingFactors} value={seriousness.mitigating} onChange={(value) => change((s) => void (s.mitigating = value))} />
      <Field
        label="Why hostility on a protected characteristic was not treated as aggravating"
        path="seriousness.hostilityNotAggravatingReason"
        hint="Only when the panel did not treat such hostility as aggravating."
      >
        {(id, describedBy) => (
          <textarea
            id={id}
            className="input textarea-prose"
            aria-describedby={describedBy}
            value={seriousness.hostilityNotAggravatingReason ?? ''}
            onChange={(event) =>
              change((s) => {
                if (event.target.value) s.hostilityNotAggravatingReason = event.target.value;
                else delete s.hostilityNotAggravatingReason;
              })
            }
          />
        )}
      </Field>
    </DraftSection>
  );
}

function FactorList({
  kind,
  title,
  factors,
  value,
  onChange,
}: {
  kind: 'aggravating' | 'mitigating';
  title: string;
  factors: readonly { id: string; label: string }[];
  value: FactorAssessment;
  onChange(value: FactorAssessment): void;
}) {
  const chosen = Array.isArray(value) ? value : [];
  const toggle = (factorId: string, on: boolean) => {
    const next = on ? [...chosen.filter((f) => f.factorId !== factorId), { factorId }] : chosen.filter((f) => f.factorId !== factorId);
    onChange(next.length > 0 ? next : null);
  };
  return (
    <fieldset id={fieldId(`seriousness.${kind}`)} className="fieldset">
      <legend className="field-label">{title}</legend>
      <div className="check-grid">
        <label className="check">
          <input type="checkbox" checked={value === 'none'} onChange={(event) => onChange(event.target.checked ? 'none' : null)} />
          <span>None found</span>
        </label>
        {factors.map((factor) => (
          <label key={factor.id} className="check">
            <input type="checkbox" checked={chosen.some((f) => f.factorId === factor.id)} onChange={(event) => toggle(factor.id, event.target.checked)} />
            <span>{factor.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function SanctionSection({ draft, criteria, body, update }: { draft: DecisionDraft; criteria: CriteriaDocument; body: string; update: Update }) {
  const sanction = draft.sanction;
  const index = sanction ? criteria.ladder.findIndex((rung) => rung.id === sanction.rungId) : -1;
  const rung: SanctionRung | null = index >= 0 ? criteria.ladder[index]! : null;
  const lesser = index > 0 ? criteria.ladder.slice(0, index) : [];
  const nextRung = index >= 0 ? (criteria.ladder[index + 1] ?? null) : null;
  const change = (mutate: (s: NonNullable<DecisionDraft['sanction']>) => void) =>
    update((d) => {
      if (!d.sanction) return;
      mutate(d.sanction);
    });
  const optionalText = (key: 'nextRungReason' | 'departureReason') => (event: { target: { value: string } }) =>
    change((s) => {
      if (event.target.value) s[key] = event.target.value;
      else delete s[key];
    });
  return (
    <DraftSection id="sanction" title="Sanction">
      <div id={fieldId('sanction')} className="field-grid">
        <Field label="Sanction imposed" path="sanction.rungId" hint="The ladder runs from the least serious sanction to the most.">
          {(id, describedBy) => (
            <select
              id={id}
              className="input select"
              aria-describedby={describedBy}
              value={sanction?.rungId ?? ''}
              onChange={(event) =>
                update((d) => {
                  const rungId = event.target.value;
                  if (!rungId) d.sanction = null;
                  else d.sanction = { rungId, parameters: {}, lesserRungReasons: d.sanction?.lesserRungReasons ?? {}, ...(d.sanction?.departureReason ? { departureReason: d.sanction.departureReason } : {}) };
                })
              }
            >
              <option value="">Choose…</option>
              {criteria.ladder.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.label}
                  {option.imposedBy.includes(body as never) ? '' : ' (not open to this body)'}
                </option>
              ))}
            </select>
          )}
        </Field>
        {rung?.parameters.map((parameter) => {
          const path = `sanction.parameters.${parameter.id}`;
          const current = sanction?.parameters[parameter.id];
          return parameter.kind === 'term' ? (
            <Field key={parameter.id} label={`${parameter.label} (${parameter.unit})`} path={path} hint={`From ${parameter.min} to ${parameter.max} ${parameter.unit}.`}>
              {(id, describedBy) => (
                <input
                  id={id}
                  className="input input-number"
                  type="number"
                  inputMode="numeric"
                  step={1}
                  aria-describedby={describedBy}
                  value={typeof current === 'number' ? current : ''}
                  onChange={(event) =>
                    change((s) => {
                      const value = event.target.value.trim();
                      if (value === '') delete s.parameters[parameter.id];
                      else s.parameters[parameter.id] = Number(value);
                    })
                  }
                />
              )}
            </Field>
          ) : (
            <Field key={parameter.id} label={parameter.label} path={path}>
              {(id) => (
                <select
                  id={id}
                  className="input select"
                  value={typeof current === 'string' ? current : ''}
                  onChange={(event) =>
                    change((s) => {
                      if (event.target.value) s.parameters[parameter.id] = event.target.value;
                      else delete s.parameters[parameter.id];
                    })
                  }
                >
                  <option value="">Choose…</option>
                  {parameter.options.map((option) => (
                    <option key={option.id} value={option.id}>
                      {option.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          );
        })}
      </div>
      {lesser.length > 0 ? (
        <div className="least-serious-first">
          <h3>Least serious first</h3>
          <p className="field-hint">For each less serious sanction, why it would not be enough.</p>
          {lesser.map((option) => (
            <Field key={option.id} label={`Why “${option.label}” is not enough`} path={`sanction.lesserRungReasons.${option.id}`}>
              {(id) => (
                <textarea
                  id={id}
                  className="input textarea-prose"
                  rows={2}
                  value={sanction?.lesserRungReasons[option.id] ?? ''}
                  onChange={(event) =>
                    change((s) => {
                      if (event.target.value) s.lesserRungReasons[option.id] = event.target.value;
                      else delete s.lesserRungReasons[option.id];
                    })
                  }
                />
              )}
            </Field>
          ))}
        </div>
      ) : null}
      {nextRung ? (
        <Field label={`Why “${nextRung.label}” is not needed`} path="sanction.nextRungReason">
          {(id) => <textarea id={id} className="input textarea-prose" rows={2} value={sanction?.nextRungReason ?? ''} onChange={optionalText('nextRungReason')} />}
        </Field>
      ) : null}
      {sanction ? (
        <Field label="Reason for departing from the indicated range" path="sanction.departureReason" hint="Only when the sanction lies outside the range the criteria indicate.">
          {(id, describedBy) => <textarea id={id} className="input textarea-prose" rows={2} aria-describedby={describedBy} value={sanction.departureReason ?? ''} onChange={optionalText('departureReason')} />}
        </Field>
      ) : null}
    </DraftSection>
  );
}

function CourseOrder({ draft, update }: { draft: DecisionDraft; update: Update }) {
  const [ordered, setOrdered] = useState(draft.orders.educationCourse !== null);
  const [due, setDue] = useState(draft.orders.educationCourse?.dueDate ?? '');
  const apply = (on: boolean, date: string) => update((d) => void (d.orders.educationCourse = on && date ? { dueDate: date } : null));
  return (
    <div className="course-order">
      <div className="check">
        <input
          id={fieldId('orders.educationCourse')}
          type="checkbox"
          checked={ordered}
          onChange={(event) => {
            setOrdered(event.target.checked);
            apply(event.target.checked, due);
          }}
        />
        <label htmlFor={fieldId('orders.educationCourse')}>Order the education course</label>
      </div>
      <div className="field-grid">
        <Field label="Course to be completed by" path="orders.educationCourse.dueDate">
          {(id) => (
            <input
              id={id}
              className="input"
              type="date"
              disabled={!ordered}
              value={due}
              onChange={(event) => {
                setDue(event.target.value);
                apply(ordered, event.target.value);
              }}
            />
          )}
        </Field>
      </div>
    </div>
  );
}

function shown(value: DraftChange['before']): string {
  const text = value === null ? '' : Array.isArray(value) ? value.join(', ') : String(value);
  if (text.trim() === '') return '(empty)';
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** What the imported draft changed against the one held before, each entry a link to the field. */
function ChangesPanel({ imported, draft, onClose }: { imported: { previousRevision: number; revision: number; changes: DraftChange[] }; draft: DecisionDraft; onClose(): void }) {
  return (
    <section className="panel changes-panel" aria-labelledby="changes-title">
      <div className="panel-header">
        <h2 id="changes-title">
          What changed: revision {imported.previousRevision === 0 ? 'none' : imported.previousRevision} → {imported.revision}
        </h2>
        <Button variant="quiet" onClick={onClose}>
          Hide changes
        </Button>
      </div>
      {imported.changes.length === 0 ? (
        <p className="muted">Nothing in the decision changed.</p>
      ) : (
        <table className="table changes-table">
          <caption className="visually-hidden">Changes in revision {imported.revision}</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">Now</th>
            </tr>
          </thead>
          <tbody>
            {imported.changes.map((change) => (
              <tr key={`${change.path}:${change.label}`} className={`change-${change.kind}`}>
                <th scope="row">
                  <button type="button" className="link-button" onClick={() => focusFinding(draft, { fields: [change.path], fieldKey: change.path })}>
                    {change.label}
                  </button>
                </th>
                <td className="change-before">{shown(change.before)}</td>
                <td className="change-after">{shown(change.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
