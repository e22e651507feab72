// The clerk's case builder for one draft: the case details, allegations, participants from the address book,
// and the evidence section by section. Field edits save themselves (debounced, with a visible state);
// documents change through their own calls. What still stops sealing is listed next to the Seal button, and
// sealing shows main's progress, can be cancelled, and ends with the files written and who each is for.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { CriteriaSummary, DraftView, SealOutcome } from '../../../shared/contract';
import { DECIDING_BODIES, DECIDING_BODY_LABELS, type DecidingBody, type ProtectedCharacteristic } from '../../../shared/domain/case';
import type { DocumentChange, DraftDocument, DraftFields, DraftParticipant } from '../../../shared/domain/draft';
import type { Contact } from '../../../shared/domain/profile';
import { call, codeOf, messageOf } from '../api';
import { Dialog } from '../components/Dialog';
import { Fingerprint } from '../components/Fingerprint';
import { percentOf, ProgressBar, useProgress } from '../components/ProgressBar';
import { Button, CheckboxField, ErrorMessage, Notice, PageHeading, SelectField, TextAreaField, TextField } from '../components/ui';
import {
  addDaysIso,
  COMPLAINT_TYPE_OPTIONS,
  formatBytes,
  formatDay,
  kindLabel,
  plural,
  PROTECTED_CHARACTERISTIC_OPTIONS,
  roleLabel,
} from '../format';
import { useApp } from '../store';

/** How long typing may pause before the draft is saved. */
const AUTOSAVE_MS = 600;

type CaseRole = DraftParticipant['role'];
const ROLE_OPTIONS: { value: CaseRole; label: string }[] = [
  { value: 'chair', label: 'Chair' },
  { value: 'panellist', label: 'Panellist' },
  { value: 'external-lawyer', label: 'External lawyer' },
  { value: 'clerk', label: 'Clerk' },
];
/** Roles a document can be closed to (the clerk who seals always has every document). */
const RESTRICTABLE_ROLES: { value: CaseRole; label: string }[] = [
  { value: 'chair', label: 'Chair' },
  { value: 'panellist', label: 'Panellists' },
  { value: 'external-lawyer', label: 'External lawyer' },
];
const BODY_OPTIONS = DECIDING_BODIES.map((value) => ({ value, label: DECIDING_BODY_LABELS[value] }));
const SEAL_PHASES: Record<string, string> = {
  checking: 'Checking the case…',
  assembling: 'Numbering the pages and building the index…',
  sealing: 'Encrypting a copy for each recipient…',
  done: 'Finishing…',
};

type SaveState = 'saved' | 'pending' | 'saving' | 'error';
type SealState =
  | { kind: 'running'; operationId: string; cancelling: boolean }
  | { kind: 'done'; outcome: SealOutcome }
  | { kind: 'failed'; message: string; cancelled: boolean };

function defaultRoleFor(contact: Contact): CaseRole {
  return (ROLE_OPTIONS.some((option) => option.value === contact.role) ? contact.role : 'panellist') as CaseRole;
}

/** datetime-local works in the computer's time zone; the draft stores an ISO timestamp with its offset. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return `${iso}T00:00`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function nextSectionLetter(fields: DraftFields): string | null {
  const used = new Set(fields.sections.map((section) => section.letter));
  for (let code = 65; code <= 90; code++) {
    const letter = String.fromCharCode(code);
    if (!used.has(letter)) return letter;
  }
  return null;
}

export function CaseBuilder({ draftId }: { draftId: string }) {
  const openDraft = useApp((state) => state.openDraft);
  const showToast = useApp((state) => state.showToast);
  const [fields, setFields] = useState<DraftFields | null>(null);
  const [documents, setDocuments] = useState<DraftDocument[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [sealedRevisions, setSealedRevisions] = useState(0);
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [criteria, setCriteria] = useState<CriteriaSummary | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [sectionBusy, setSectionBusy] = useState<string | null>(null);
  const [documentError, setDocumentError] = useState<{ section: string; message: string } | null>(null);
  const [seal, setSeal] = useState<SealState | null>(null);
  const [sealHint, setSealHint] = useState(false);
  const [addContactId, setAddContactId] = useState('');
  const [addRole, setAddRole] = useState<CaseRole | ''>('');
  const latest = useRef<DraftFields | null>(null);
  /** The problems main reported last, readable right after an await (state would be a render behind). */
  const latestProblems = useRef<string[]>([]);
  const dirty = useRef(false);
  const timer = useRef<number | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const problemsRef = useRef<HTMLDivElement>(null);
  const sealButtonRef = useRef<HTMLButtonElement>(null);

  function applyView(view: DraftView, withFields: boolean) {
    if (withFields) {
      setFields(view.draft.fields);
      latest.current = view.draft.fields;
    }
    setDocuments(view.draft.documents);
    setProblems(view.problems);
    latestProblems.current = view.problems;
    setSealedRevisions(view.draft.sealedRevisions);
  }

  useEffect(() => {
    let live = true;
    Promise.all([call('drafts.get', { id: draftId }), call('contacts.list', {}), call('criteria.current', {})]).then(
      ([view, list, current]) => {
        if (!live) return;
        applyView(view, true);
        setContacts(list);
        setCriteria(current);
      },
      (failure: unknown) => live && setLoadError(messageOf(failure)),
    );
    return () => {
      live = false;
      // Leaving the builder saves what was typed last.
      void flush();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftId]);

  function flush(): Promise<void> {
    if (timer.current !== null) {
      window.clearTimeout(timer.current);
      timer.current = null;
    }
    chain.current = chain.current.then(async () => {
      if (!dirty.current || !latest.current) return;
      const toSave = latest.current;
      dirty.current = false;
      setSaveState('saving');
      try {
        const view = await call('drafts.update', { id: draftId, fields: toSave });
        applyView(view, false);
        setSaveError(null);
        setSaveState(dirty.current ? 'pending' : 'saved');
      } catch (failure) {
        setSaveError(messageOf(failure));
        setSaveState('error');
      }
    });
    return chain.current;
  }

  function update(patch: Partial<DraftFields>) {
    if (!latest.current) return;
    const next = { ...latest.current, ...patch };
    latest.current = next;
    dirty.current = true;
    setFields(next);
    setSaveState('pending');
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void flush(), AUTOSAVE_MS);
  }

  async function documentCall(section: string, work: () => Promise<DraftView>): Promise<boolean> {
    setDocumentError(null);
    try {
      applyView(await work(), false);
      return true;
    } catch (failure) {
      setDocumentError({ section, message: messageOf(failure) });
      return false;
    }
  }

  async function addEvidence(section: string) {
    if (sectionBusy) return;
    setSectionBusy(section);
    // The section must exist in the saved draft before main adds files to it.
    await flush();
    const before = documents.length;
    await documentCall(section, async () => {
      const view = await call('drafts.addDocuments', { id: draftId, section });
      const added = view.draft.documents.length - before;
      if (added > 0) showToast(`${plural(added, 'document')} added to section ${section}.`);
      return view;
    });
    setSectionBusy(null);
  }

  async function startSeal() {
    if (seal?.kind === 'running') return;
    await flush();
    if (latestProblems.current.length > 0 || dirty.current) {
      setSealHint(true);
      problemsRef.current?.focus();
      return;
    }
    const operationId = crypto.randomUUID();
    setSeal({ kind: 'running', operationId, cancelling: false });
    try {
      const outcome = await call('drafts.seal', { id: draftId, operationId });
      if (outcome.cancelled) {
        setSeal(null);
        showToast('Sealing was cancelled. No file was written.', 'info');
        return;
      }
      setSeal({ kind: 'done', outcome });
      setSealedRevisions(outcome.revision);
    } catch (failure) {
      setSeal({ kind: 'failed', message: messageOf(failure), cancelled: codeOf(failure) === 'bundle-cancelled' });
    }
  }

  async function cancelSeal() {
    if (seal?.kind !== 'running' || seal.cancelling) return;
    setSeal({ ...seal, cancelling: true });
    try {
      await call('operations.cancel', { operationId: seal.operationId });
    } catch {
      // The seal's own answer still arrives and is shown.
    }
  }

  const back = (
    <Button variant="quiet" className="back-link" onClick={() => openDraft(null)}>
      <span aria-hidden="true">← </span>All cases in preparation
    </Button>
  );

  if (!fields) {
    return (
      <div className="page">
        {back}
        {loadError ? (
          <>
            <PageHeading>This case cannot be opened</PageHeading>
            <ErrorMessage>{loadError}</ErrorMessage>
          </>
        ) : (
          <p className="loading" aria-live="polite">
            Loading the case…
          </p>
        )}
      </div>
    );
  }

  const contactById = new Map(contacts.map((contact) => [contact.id, contact]));
  const available = contacts.filter((contact) => !fields.participants.some((person) => person.contactId === contact.id));
  const defaultExpiry = fields.hearingDate ? addDaysIso(fields.hearingDate, 30) : null;
  const canSeal = problems.length === 0 && saveState === 'saved';
  const heading = fields.reference || fields.title ? [fields.reference, fields.title].filter(Boolean).join(' · ') : 'New case';

  const setAllegation = (index: number, patch: Partial<DraftFields['allegations'][number]>) =>
    update({ allegations: fields.allegations.map((allegation, i) => (i === index ? { ...allegation, ...patch } : allegation)) });
  const setParticipant = (index: number, patch: Partial<DraftParticipant>) =>
    update({ participants: fields.participants.map((person, i) => (i === index ? { ...person, ...patch } : person)) });

  return (
    <div className="page page-wide builder">
      {back}
      <div className="page-header">
        <PageHeading description="Everything here stays in your encrypted vault until you seal the bundle.">{heading}</PageHeading>
        <SaveStatus state={saveState} />
      </div>
      <ErrorMessage>{saveError ? `Your last change was not saved: ${saveError}` : null}</ErrorMessage>

      <section className="panel" aria-labelledby="builder-case-title">
        <h2 id="builder-case-title">The case</h2>
        <div className="form-grid">
          <TextField
            label="Case reference"
            hint="Capital letters, digits, “-” and “/”, e.g. NEC-2026-0117."
            value={fields.reference}
            maxLength={40}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => update({ reference: event.target.value.toUpperCase() })}
          />
          <TextField label="Title" hint="How the panel will refer to the case." value={fields.title} maxLength={200} onChange={(event) => update({ title: event.target.value })} />
          <SelectField
            label="Deciding body"
            options={BODY_OPTIONS}
            value={fields.decidingBody}
            onChange={(event) => update({ decidingBody: event.target.value as DecidingBody })}
          />
          <SelectField
            label="Complaint type"
            options={COMPLAINT_TYPE_OPTIONS}
            placeholder="Not stated"
            value={fields.complaintType ?? ''}
            onChange={(event) => update({ complaintType: (event.target.value || null) as DraftFields['complaintType'] })}
          />
          <TextField
            label="Region"
            hint="Lower-case, e.g. north-west. Leave empty if not known."
            value={fields.region ?? ''}
            maxLength={64}
            spellCheck={false}
            onChange={(event) => update({ region: event.target.value.trim() ? event.target.value.toLowerCase() : null })}
          />
        </div>
        <fieldset className="fieldset">
          <legend className="field-label">Protected characteristics</legend>
          <p className="field-hint">Those the complaint concerns (Equality Act 2010), for the published statistics.</p>
          <div className="check-grid">
            {PROTECTED_CHARACTERISTIC_OPTIONS.map((option) => (
              <CheckboxField
                key={option.value}
                label={option.label}
                checked={fields.protectedCharacteristics.includes(option.value)}
                onChange={(event) =>
                  update({
                    protectedCharacteristics: event.target.checked
                      ? [...fields.protectedCharacteristics, option.value]
                      : fields.protectedCharacteristics.filter((item: ProtectedCharacteristic) => item !== option.value),
                  })
                }
              />
            ))}
          </div>
        </fieldset>
      </section>

      <section className="panel" aria-labelledby="builder-dates-title">
        <h2 id="builder-dates-title">Dates and parties</h2>
        <div className="form-grid">
          <TextField
            label="Complaint received"
            type="date"
            value={fields.complaintReceived ?? ''}
            onChange={(event) => update({ complaintReceived: event.target.value || null })}
          />
          <TextField label="Hearing date" type="date" value={fields.hearingDate ?? ''} onChange={(event) => update({ hearingDate: event.target.value || null })} />
          <TextField
            label="Bundle expires on"
            type="date"
            hint={
              defaultExpiry
                ? `If left empty: ${formatDay(defaultExpiry)}, 30 days after the hearing. After this date the bundle can only be wiped.`
                : 'If left empty: 30 days after the hearing. After this date the bundle can only be wiped.'
            }
            value={fields.expiresOn ?? ''}
            onChange={(event) => update({ expiresOn: event.target.value || null })}
          />
          <TextField
            label="Respondent’s pseudonym"
            hint="Recipients see this code, never the name."
            value={fields.respondentPseudonym}
            maxLength={60}
            onChange={(event) => update({ respondentPseudonym: event.target.value })}
          />
          <TextField
            label="Complainant’s pseudonym"
            hint="Recipients see this code, never the name."
            value={fields.complainantPseudonym}
            maxLength={60}
            onChange={(event) => update({ complainantPseudonym: event.target.value })}
          />
        </div>
      </section>

      <section className="panel" aria-labelledby="builder-allegations-title">
        <div className="panel-header">
          <h2 id="builder-allegations-title">Allegations</h2>
          {criteria ? (
            <p className="panel-meta criteria-note">
              {criteria.isSample ? <span className="badge badge-sample">SAMPLE criteria</span> : null}
              <span>
                Conduct categories from “{criteria.title}”, version {criteria.version}.
              </span>
            </p>
          ) : null}
        </div>
        {fields.allegations.length === 0 ? <p className="muted">No allegations yet. A case needs at least one.</p> : null}
        <ol className="builder-list">
          {fields.allegations.map((allegation, index) => (
            <li key={index} className="builder-item" aria-labelledby={`allegation-${index}-title`}>
              <div className="builder-item-head">
                <h3 id={`allegation-${index}-title`}>Allegation {index + 1}</h3>
                <Button
                  variant="quiet"
                  className="btn-danger-quiet"
                  aria-label={`Remove allegation ${index + 1}`}
                  onClick={() => update({ allegations: fields.allegations.filter((_, i) => i !== index) })}
                >
                  Remove
                </Button>
              </div>
              <TextAreaField
                label={<><span className="visually-hidden">Allegation {index + 1}: </span>What is alleged</>}
                rows={3}
                value={allegation.text}
                onChange={(event) => setAllegation(index, { text: event.target.value })}
              />
              <div className="form-grid">
                <TextField
                  label={<><span className="visually-hidden">Allegation {index + 1}: </span>Rule or code paragraph</>}
                  hint="e.g. Rule 2.I.8"
                  value={allegation.ruleReference}
                  maxLength={200}
                  onChange={(event) => setAllegation(index, { ruleReference: event.target.value })}
                />
                <SelectField
                  label={<><span className="visually-hidden">Allegation {index + 1}: </span>Conduct category</>}
                  options={criteria?.conductCategories.map((category) => ({ value: category.id, label: category.label })) ?? []}
                  placeholder="Choose a category"
                  value={allegation.conductCategoryId}
                  onChange={(event) => setAllegation(index, { conductCategoryId: event.target.value })}
                />
              </div>
            </li>
          ))}
        </ol>
        <div className="button-row">
          <Button onClick={() => update({ allegations: [...fields.allegations, { text: '', ruleReference: '', conductCategoryId: '' }] })}>
            Add an allegation
          </Button>
        </div>
      </section>

      <section className="panel" aria-labelledby="builder-people-title">
        <h2 id="builder-people-title">Participants</h2>
        <p className="muted">The bundle is sealed for exactly these people, from the cards in your address book.</p>
        {fields.participants.length > 0 ? (
          <ul className="participant-list">
            {fields.participants.map((person, index) => {
              const contact = contactById.get(person.contactId);
              const name = contact?.name ?? 'Someone no longer in your address book';
              return (
                <li key={person.contactId} className="participant">
                  <div className="participant-who">
                    <span className="person-name">{name}</span>
                    {contact ? (
                      <span className="participant-key">
                        <Fingerprint value={contact.fingerprint} size="small" label={`Fingerprint of ${contact.name}`} />
                        {contact.verifiedAt ? (
                          <span className="badge badge-verified">
                            <span aria-hidden="true">✓ </span>Verified
                          </span>
                        ) : (
                          <span className="badge badge-unverified">Not verified</span>
                        )}
                      </span>
                    ) : null}
                  </div>
                  <SelectField
                    className="participant-role"
                    label={`Role of ${name}`}
                    options={ROLE_OPTIONS}
                    value={person.role}
                    onChange={(event) => setParticipant(index, { role: event.target.value as CaseRole })}
                  />
                  <Button
                    variant="quiet"
                    className="btn-danger-quiet"
                    aria-label={`Remove ${name} from the case`}
                    onClick={() => update({ participants: fields.participants.filter((_, i) => i !== index) })}
                  >
                    Remove
                  </Button>
                </li>
              );
            })}
          </ul>
        ) : null}
        {contacts.length === 0 ? (
          <Notice>Your address book is empty. Import the participant card of each person on the case first.</Notice>
        ) : available.length > 0 ? (
          <div className="add-participant">
            <SelectField
              label="Person"
              options={available.map((contact) => ({ value: contact.id, label: `${contact.name} (${roleLabel(contact.role)})` }))}
              placeholder="Choose from your address book"
              value={addContactId}
              onChange={(event) => {
                setAddContactId(event.target.value);
                const contact = contactById.get(event.target.value);
                if (contact) setAddRole(defaultRoleFor(contact));
              }}
            />
            <SelectField label="Role on this case" options={ROLE_OPTIONS} placeholder="Choose a role" value={addRole} onChange={(event) => setAddRole(event.target.value as CaseRole)} />
            <Button
              aria-disabled={!addContactId || !addRole ? true : undefined}
              onClick={() => {
                if (!addContactId || !addRole) return;
                update({ participants: [...fields.participants, { contactId: addContactId, role: addRole }] });
                setAddContactId('');
                setAddRole('');
              }}
            >
              Add participant
            </Button>
          </div>
        ) : (
          <p className="muted">Everyone in your address book is on this case.</p>
        )}
      </section>

      <section className="panel" aria-labelledby="builder-evidence-title">
        <h2 id="builder-evidence-title">Sections and evidence</h2>
        <p className="muted">
          Pages are numbered in this order, continuously through the whole bundle after its index, each label starting with its section’s
          letter (A2, A3, … B7, …). PDF, PNG and JPEG images, plain text and e-mail (.eml) are accepted; text and e-mail are laid out as pages.
        </p>
        {fields.sections.map((section, sectionIndex) => {
          const sectionDocuments = documents.filter((doc) => doc.section === section.letter);
          return (
            <div key={section.letter} className="evidence-section" role="group" aria-labelledby={`section-${section.letter}-heading`}>
              <div className="evidence-section-head">
                <h3 id={`section-${section.letter}-heading`} className="evidence-section-title">
                  <span className="section-letter" aria-hidden="true">
                    {section.letter}
                  </span>
                  <span className="visually-hidden">Section {section.letter}</span>
                </h3>
                <TextField
                  className="section-name"
                  label={`Section ${section.letter} title`}
                  value={section.title}
                  maxLength={120}
                  onChange={(event) =>
                    update({ sections: fields.sections.map((item, i) => (i === sectionIndex ? { ...item, title: event.target.value } : item)) })
                  }
                />
                <span className="panel-meta">{plural(sectionDocuments.length, 'document')}</span>
              </div>
              {sectionDocuments.length > 0 ? (
                <ol className="document-list">
                  {sectionDocuments.map((doc, indexInSection) => {
                    return (
                      <DocumentEditor
                        key={doc.id}
                        doc={doc}
                        isFirst={indexInSection === 0}
                        isLast={indexInSection === sectionDocuments.length - 1}
                        onChange={(change) => void documentCall(section.letter, () => call('drafts.updateDocument', { id: draftId, documentId: doc.id, change }))}
                        onMove={(direction) => {
                          // The draft keeps one order across sections; step past documents of other sections until this
                          // one has passed its neighbour in the same section.
                          const neighbour = sectionDocuments[indexInSection + direction];
                          if (!neighbour) return;
                          const steps = Math.abs(documents.indexOf(neighbour) - documents.indexOf(doc));
                          void documentCall(section.letter, async () => {
                            let view = await call('drafts.moveDocument', { id: draftId, documentId: doc.id, direction });
                            for (let step = 1; step < steps; step++) view = await call('drafts.moveDocument', { id: draftId, documentId: doc.id, direction });
                            return view;
                          });
                        }}
                        onRemove={async () => {
                          if (await documentCall(section.letter, () => call('drafts.removeDocument', { id: draftId, documentId: doc.id }))) {
                            showToast(`“${doc.title}” was removed from the case.`, 'info');
                          }
                        }}
                      />
                    );
                  })}
                </ol>
              ) : (
                <p className="muted evidence-empty">No documents in this section.</p>
              )}
              {documentError?.section === section.letter ? <ErrorMessage>{documentError.message}</ErrorMessage> : null}
              <div className="button-row">
                <Button busy={sectionBusy === section.letter} busyLabel="Adding…" onClick={() => void addEvidence(section.letter)}>
                  Add evidence to section {section.letter}…
                </Button>
                {sectionDocuments.length === 0 && fields.sections.length > 1 ? (
                  <Button
                    variant="quiet"
                    className="btn-danger-quiet"
                    onClick={() => update({ sections: fields.sections.filter((_, i) => i !== sectionIndex) })}
                  >
                    Remove section {section.letter}
                  </Button>
                ) : null}
              </div>
            </div>
          );
        })}
        {nextSectionLetter(fields) ? (
          <div className="button-row">
            <Button
              variant="quiet"
              onClick={() => {
                const letter = nextSectionLetter(fields);
                if (letter) update({ sections: [...fields.sections, { letter, title: 'Further documents' }] });
              }}
            >
              Add a section
            </Button>
          </div>
        ) : null}
      </section>

      <section className="panel seal-panel" aria-labelledby="builder-seal-title">
        <h2 id="builder-seal-title">Seal the bundle</h2>
        <div ref={problemsRef} tabIndex={-1} className="seal-check" aria-live="polite">
          {saveState !== 'saved' && saveState !== 'error' ? (
            <p className="muted">Saving your changes…</p>
          ) : problems.length > 0 ? (
            <Notice tone="warning">
              <p>
                <strong>Before this case can be sealed:</strong>
              </p>
              <ul className="problem-list" aria-label="What still needs doing">
                {problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </Notice>
          ) : (
            <SealReady fields={fields} documents={documents} contacts={contactById} />
          )}
        </div>
        {sealHint && problems.length > 0 ? <p className="field-hint">Sealing becomes available once the list above is empty.</p> : null}
        <div className="button-row">
          <Button
            ref={sealButtonRef}
            variant="primary"
            aria-disabled={canSeal ? undefined : true}
            aria-describedby="seal-explanation"
            onClick={() => void startSeal()}
          >
            Seal bundle…
          </Button>
          <p id="seal-explanation" className="field-hint">
            {sealedRevisions > 0
              ? `Revision ${sealedRevisions} is sealed. Sealing again makes revision ${sealedRevisions + 1}, keeping the page numbers of revision ${sealedRevisions}.`
              : 'You will choose where to save the sealed file.'}
          </p>
        </div>
      </section>

      {seal ? (
        <SealDialog
          state={seal}
          onCancel={() => void cancelSeal()}
          onClose={() => setSeal(null)}
          returnFocus={() => sealButtonRef.current}
        />
      ) : null}
    </div>
  );
}

function SaveStatus({ state }: { state: SaveState }) {
  const text = state === 'saved' ? 'All changes saved' : state === 'error' ? 'Not saved' : 'Saving…';
  return (
    <p className={`save-status save-${state}`} role="status">
      <span className="save-dot" aria-hidden="true" />
      {text}
    </p>
  );
}

function SealReady({ fields, documents, contacts }: { fields: DraftFields; documents: DraftDocument[]; contacts: Map<string, Contact> }) {
  const names = fields.participants.map((person) => contacts.get(person.contactId)?.name).filter(Boolean);
  const restricted = documents.filter((doc) => doc.restrictedFrom.length > 0).length;
  return (
    <div className="message message-success">
      <span className="message-icon" aria-hidden="true">
        ✓
      </span>
      <div className="message-body">
        <p>
          <strong>Ready to seal.</strong> {plural(documents.length, 'document')} for {names.join(', ')}.
        </p>
        {restricted > 0 ? (
          <p>
            {plural(restricted, 'document is', 'documents are')} closed to some roles, so more than one file may be written: each person gets
            only what they may see.
          </p>
        ) : null}
      </div>
    </div>
  );
}

function DocumentEditor({
  doc,
  isFirst,
  isLast,
  onChange,
  onMove,
  onRemove,
}: {
  doc: DraftDocument;
  isFirst: boolean;
  isLast: boolean;
  onChange: (change: DocumentChange) => void;
  onMove: (direction: -1 | 1) => void;
  onRemove: () => void;
}) {
  const [title, setTitle] = useState(doc.title);
  const [sourceUrl, setSourceUrl] = useState(doc.capture?.sourceUrl ?? '');
  const [capturedAt, setCapturedAt] = useState(toLocalInput(doc.capture?.capturedAt));
  const [capturedBy, setCapturedBy] = useState(doc.capture?.capturedBy ?? '');
  // Ticked at once, saved in the background; main's answer (the saved list) replaces it.
  const [closedTo, setClosedTo] = useState(doc.restrictedFrom);
  const savedClosedTo = doc.restrictedFrom.join(',');
  useEffect(() => {
    setClosedTo(doc.restrictedFrom);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [savedClosedTo]);

  const commitCapture = (patch: { sourceUrl?: string; capturedAt?: string; capturedBy?: string }) => {
    const next = { sourceUrl, capturedAt: fromLocalInput(capturedAt), capturedBy, ...patch };
    const capture = Object.fromEntries(Object.entries(next).filter(([, value]) => typeof value === 'string' && value.trim() !== ''));
    const current = doc.capture ?? {};
    if (JSON.stringify(capture) !== JSON.stringify(Object.fromEntries(Object.entries(current).filter(([, value]) => value)))) onChange({ capture });
  };

  return (
    <li className="document" aria-label={doc.title}>
      <div className="document-head">
        <TextField
          className="document-title"
          label="Document title"
          value={title}
          maxLength={300}
          onChange={(event) => setTitle(event.target.value)}
          onBlur={() => {
            const trimmed = title.trim();
            if (!trimmed) setTitle(doc.title);
            else if (trimmed !== doc.title) onChange({ title: trimmed });
          }}
        />
        <TextField className="document-date" label="Dated" type="date" value={doc.date ?? ''} onChange={(event) => onChange({ date: event.target.value || null })} />
      </div>
      <p className="document-meta">
        <span className="badge badge-neutral">{kindLabel(doc.kind)}</span>
        <span className="path">{doc.sourceName}</span>
        <span aria-hidden="true">·</span>
        <span>{formatBytes(doc.bytes)}</span>
      </p>
      {doc.kind === 'image' ? (
        <fieldset className="fieldset capture">
          <legend className="field-label">Where the image came from</legend>
          <div className="form-grid form-grid-3">
            <TextField
              label="Source URL"
              type="url"
              value={sourceUrl}
              maxLength={2000}
              spellCheck={false}
              onChange={(event) => setSourceUrl(event.target.value)}
              onBlur={() => commitCapture({ sourceUrl })}
            />
            <TextField
              label="Captured at"
              type="datetime-local"
              value={capturedAt}
              onChange={(event) => setCapturedAt(event.target.value)}
              onBlur={() => commitCapture({ capturedAt: fromLocalInput(capturedAt) })}
            />
            <TextField
              label="Captured by"
              value={capturedBy}
              maxLength={120}
              onChange={(event) => setCapturedBy(event.target.value)}
              onBlur={() => commitCapture({ capturedBy })}
            />
          </div>
        </fieldset>
      ) : null}
      <div className="document-foot">
        <fieldset className="fieldset closed-to">
          <legend className="field-label">Closed to</legend>
          <div className="check-row">
            {RESTRICTABLE_ROLES.map((role) => (
              <CheckboxField
                key={role.value}
                label={role.label}
                checked={closedTo.includes(role.value)}
                onChange={(event) => {
                  const next = event.target.checked ? [...closedTo, role.value] : closedTo.filter((item) => item !== role.value);
                  setClosedTo(next);
                  onChange({ restrictedFrom: next });
                }}
              />
            ))}
          </div>
        </fieldset>
        <div className="document-actions">
          <Button variant="quiet" aria-label={`Move “${doc.title}” up`} aria-disabled={isFirst ? true : undefined} onClick={() => !isFirst && onMove(-1)}>
            <span aria-hidden="true">↑</span> Up
          </Button>
          <Button variant="quiet" aria-label={`Move “${doc.title}” down`} aria-disabled={isLast ? true : undefined} onClick={() => !isLast && onMove(1)}>
            <span aria-hidden="true">↓</span> Down
          </Button>
          <Button variant="quiet" className="btn-danger-quiet" aria-label={`Remove “${doc.title}”`} onClick={onRemove}>
            Remove
          </Button>
        </div>
      </div>
    </li>
  );
}

function SealDialog({
  state,
  onCancel,
  onClose,
  returnFocus,
}: {
  state: SealState;
  onCancel: () => void;
  onClose: () => void;
  returnFocus: () => HTMLElement | null;
}) {
  const progress = useProgress(state.kind === 'running' ? state.operationId : null);
  const running = state.kind === 'running';
  let body: ReactNode;
  if (state.kind === 'running') {
    body = (
      <>
        <ProgressBar
          label={state.cancelling ? 'Cancelling…' : 'Sealing the bundle'}
          percent={percentOf(progress)}
          detail={state.cancelling ? 'Removing what was written so far.' : progress ? (SEAL_PHASES[progress.phase] ?? 'Sealing…') : 'Waiting for you to choose where to save…'}
        />
        <div className="dialog-actions">
          <Button onClick={onCancel} busy={state.cancelling} busyLabel="Cancelling…">
            Cancel sealing
          </Button>
        </div>
      </>
    );
  } else if (state.kind === 'done') {
    const { outcome } = state;
    body = (
      <>
        <div className="message message-success" role="status">
          <span className="message-icon" aria-hidden="true">
            ✓
          </span>
          <div className="message-body">
            Revision {outcome.revision} is sealed: {plural(outcome.pageCount, 'page')} in all, written to {plural(outcome.files.length, 'file')}.
          </div>
        </div>
        <ul className="sealed-files" aria-label="Sealed files">
          {outcome.files.map((file) => (
            <li key={file.path} className="sealed-file">
              <span className="path">{file.path}</span>
              <span className="sealed-file-for">
                For {file.recipients.join(', ')} · {plural(file.documentCount, 'document')}
              </span>
            </li>
          ))}
        </ul>
        <p className="muted">
          Send each file only to the people it is for. Nobody else can open it, and each recipient sees your fingerprint before importing.
        </p>
        <div className="dialog-actions">
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        </div>
      </>
    );
  } else {
    body = (
      <>
        {state.cancelled ? <Notice>Sealing was cancelled. No file was written.</Notice> : <ErrorMessage>{state.message}</ErrorMessage>}
        <div className="dialog-actions">
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </div>
      </>
    );
  }
  return (
    <Dialog
      title={state.kind === 'done' ? 'Bundle sealed' : state.kind === 'failed' ? (state.cancelled ? 'Sealing cancelled' : 'The bundle was not sealed') : 'Sealing the bundle'}
      onClose={running ? onCancel : onClose}
      returnFocus={returnFocus}
      size="wide"
    >
      {body}
    </Dialog>
  );
}
