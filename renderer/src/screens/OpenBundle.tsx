// What a sealed bundle file says about itself, shown before anything is stored: who sealed it (and whether
// that key is known and its fingerprint compared), the case, who it was sealed for, and every document with
// its page labels. Importing shows real progress from main and can be cancelled; a failed or cancelled
// import leaves nothing behind, and the dialog says so in plain words.
import { SectionLabel } from '../components/SectionLabel';
import { useId, useState, type FormEvent } from 'react';
import type { BundlePreview } from '../../../shared/contract';
import { call, codeOf, messageOf } from '../api';
import { Dialog } from '../components/Dialog';
import { Fingerprint } from '../components/Fingerprint';
import { percentOf, ProgressBar, useProgress } from '../components/ProgressBar';
import { Button, ErrorMessage, Notice } from '../components/ui';
import { bodyLabel, formatBytes, formatDay, formatMoment, labelRange, plural, roleLabel } from '../format';

const IMPORT_PHASES: Record<string, string> = {
  verifying: 'Checking the clerk’s signature…',
  importing: 'Checking each document and storing it in your vault…',
  finishing: 'Finishing…',
};

type Stage = { kind: 'review' } | { kind: 'importing'; cancelling: boolean } | { kind: 'failed'; message: string; cancelled: boolean };

export function OpenBundleDialog({
  preview,
  onClose,
  onImported,
  returnFocus,
}: {
  preview: BundlePreview;
  onClose: () => void;
  onImported: (caseId: string, reference: string) => void;
  returnFocus?: () => HTMLElement | null;
}) {
  const [stage, setStage] = useState<Stage>({ kind: 'review' });
  const [compared, setCompared] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const progress = useProgress(preview.token);
  const checkboxId = useId();
  const { sealer } = preview;
  const needsTrust = !sealer.known;
  const blocked = preview.expired || preview.alreadyImported;
  const importing = stage.kind === 'importing';

  async function startImport(event: FormEvent) {
    event.preventDefault();
    if (importing || blocked) return;
    if (needsTrust && !compared) {
      setCheckError(`Tick the box once you have compared the fingerprint with ${sealer.name}.`);
      document.getElementById(checkboxId)?.focus();
      return;
    }
    setCheckError(null);
    setStage({ kind: 'importing', cancelling: false });
    try {
      const { caseId } = await call('bundles.import', { token: preview.token, trustSealer: needsTrust && compared });
      onImported(caseId, preview.reference);
    } catch (failure) {
      const cancelled = codeOf(failure) === 'bundle-cancelled';
      setStage({ kind: 'failed', message: messageOf(failure), cancelled });
    }
  }

  async function cancelImport() {
    if (stage.kind !== 'importing' || stage.cancelling) return;
    setStage({ kind: 'importing', cancelling: true });
    try {
      await call('operations.cancel', { operationId: preview.token });
    } catch {
      // The import's own answer (finished or cancelled) still arrives and is shown.
    }
  }

  const sections = preview.sections
    .map((section) => ({ ...section, documents: preview.documents.filter((doc) => doc.section === section.letter) }))
    .filter((section) => section.documents.length > 0);

  return (
    <Dialog
      title="Open a hearing bundle"
      onClose={importing ? () => void cancelImport() : onClose}
      returnFocus={returnFocus}
      size="wide"
      className="open-bundle"
    >
      <div className="bundle-case">
        <p className="bundle-case-ref mono">{preview.reference}</p>
        <p className="bundle-case-title">{preview.title}</p>
        <p className="bundle-case-body">{bodyLabel(preview.decidingBody)}</p>
      </div>
      <dl className="summary-list summary-compact">
        <div>
          <dt>Hearing</dt>
          <dd>{formatDay(preview.hearingDate)}</dd>
        </div>
        <div>
          <dt>Sealed</dt>
          <dd>
            {formatMoment(preview.sealedAt)} (revision {preview.revision})
          </dd>
        </div>
        <div>
          <dt>Available until</dt>
          <dd>{formatDay(preview.expiresOn)}</dd>
        </div>
        <div>
          <dt>File</dt>
          <dd>
            <span className="path">{preview.fileName}</span> ({formatBytes(preview.fileBytes)})
          </dd>
        </div>
      </dl>

      <section className="dialog-section" aria-labelledby={`${checkboxId}-sealer`}>
        <h3 id={`${checkboxId}-sealer`}>Sealed by</h3>
        <div className="sealer">
          <div className="sealer-who">
            <span className="sealer-name">{sealer.name}</span>
            <span className="sealer-role">{roleLabel(sealer.role)}</span>
          </div>
          {sealer.verified ? (
            <span className="badge badge-verified">
              <span aria-hidden="true">✓ </span>Verified contact
            </span>
          ) : sealer.known ? (
            <span className="badge badge-unverified">In your address book, not verified</span>
          ) : (
            <span className="badge badge-unverified">Not in your address book</span>
          )}
        </div>
        {needsTrust && !blocked ? (
          <>
            <Notice tone="warning">
              The clerk’s signature on this bundle is valid, but Hearing Desk does not know this key yet. Before importing, ask {sealer.name} to
              read out the fingerprint under <em>Your card</em> in their Hearing Desk, and compare it group by group with this one.
            </Notice>
            <div className="fingerprint-box">
              <span className="fingerprint-caption">Fingerprint of {sealer.name}</span>
              <Fingerprint value={sealer.fingerprint} size="large" label={`Fingerprint of ${sealer.name}`} />
            </div>
          </>
        ) : (
          <p className="sealer-fingerprint">
            Fingerprint <Fingerprint value={sealer.fingerprint} label={`Fingerprint of ${sealer.name}`} />
          </p>
        )}
      </section>

      <section className="dialog-section" aria-labelledby={`${checkboxId}-recipients`}>
        <h3 id={`${checkboxId}-recipients`}>Sealed for</h3>
        <ul className="recipient-list">
          {preview.recipients.map((recipient) => (
            <li key={recipient.fingerprint}>
              <span className="recipient-name">{recipient.name}</span> <span className="muted">· {roleLabel(recipient.role)}</span>
            </li>
          ))}
        </ul>
      </section>

      <section className="dialog-section" aria-labelledby={`${checkboxId}-documents`}>
        <div className="section-head">
          <h3 id={`${checkboxId}-documents`}>Documents</h3>
          <p className="panel-meta">
            {plural(preview.documents.length, 'document')}, {plural(preview.pageCount, 'page')} in all
          </p>
        </div>
        {sections.map((section) => (
          <div key={section.letter} className="preview-section">
            <h4 className="preview-section-title">
              <SectionLabel section={section} />
            </h4>
            <ul className="preview-documents">
              {section.documents.map((doc) => (
                <li key={doc.id}>
                  <span className="page-label mono">{labelRange(doc.firstLabel, doc.lastLabel)}</span>
                  <span className="preview-doc-title">{doc.title}</span>
                  <span className="preview-doc-pages">{plural(doc.pageCount, 'page')}</span>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>

      {preview.expired ? (
        <ErrorMessage>
          This bundle expired on {formatDay(preview.expiresOn)}, so Hearing Desk will not open it. If the case is still open, ask the clerk to
          send a new bundle.
        </ErrorMessage>
      ) : null}
      {preview.alreadyImported && !preview.expired ? (
        <Notice>
          Case {preview.reference} (revision {preview.revision}) is already in your vault. Open it from your case list; there is nothing new to
          import.
        </Notice>
      ) : null}

      {blocked ? (
        <div className="dialog-actions">
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </div>
      ) : (
        <form onSubmit={(event) => void startImport(event)} noValidate>
          {needsTrust ? (
            <div className="checkbox">
              <input
                id={checkboxId}
                type="checkbox"
                checked={compared}
                disabled={importing}
                aria-describedby={checkError ? `${checkboxId}-error` : undefined}
                onChange={(event) => {
                  setCompared(event.target.checked);
                  if (event.target.checked) setCheckError(null);
                }}
              />
              <label htmlFor={checkboxId}>I compared this fingerprint with the clerk</label>
            </div>
          ) : null}
          {needsTrust ? (
            <p className="field-hint checkbox-hint">Importing adds {sealer.name} to your address book as a verified contact.</p>
          ) : null}
          <ErrorMessage id={`${checkboxId}-error`}>{checkError}</ErrorMessage>
          {importing ? (
            <ProgressBar
              label={stage.cancelling ? 'Cancelling the import…' : 'Importing the bundle'}
              percent={percentOf(progress)}
              detail={stage.cancelling ? 'Removing what was stored so far.' : (IMPORT_PHASES[progress?.phase ?? 'verifying'] ?? 'Importing…')}
            />
          ) : null}
          {stage.kind === 'failed' ? (
            stage.cancelled ? (
              <Notice>The import was cancelled. Nothing from this bundle was kept.</Notice>
            ) : (
              <ErrorMessage>{stage.message}</ErrorMessage>
            )
          ) : null}
          <div className="dialog-actions">
            {importing ? (
              <Button onClick={() => void cancelImport()} busy={stage.cancelling} busyLabel="Cancelling…">
                Cancel import
              </Button>
            ) : (
              <>
                <Button onClick={onClose}>{stage.kind === 'failed' ? 'Close' : 'Cancel'}</Button>
                <Button type="submit" variant="primary">
                  {stage.kind === 'failed' ? 'Try again' : 'Import into my vault'}
                </Button>
              </>
            )}
          </div>
        </form>
      )}
    </Dialog>
  );
}
