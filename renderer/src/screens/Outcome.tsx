// A case's outcome: the signed record, the decision letter and the package for the central office.
// The chair builds the record from the final decision, signs it, sends it "for signature" to the panel (a sealed
// file), adds the signatures that come back, and, once every required signature is in, builds the PAdES-signed
// letter and exports the outcome package. A member opens the chair's file, sees exactly what they sign (and what
// changed since the version they saw before), signs with their passphrase and saves a signature file for the chair.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseDetail, FileResultView, ForSignatureView, OutcomeStatusView } from '../../../shared/contract';
import { call, codeOf, messageOf } from '../api';
import { Fingerprint } from '../components/Fingerprint';
import { PURPOSE_LABELS, RecordChanges, RecordView, signingStatement } from '../components/records/RecordView';
import { SignDialog } from '../components/records/SignDialog';
import { Button, ErrorMessage, Notice, PageHeading, SelectField, SuccessMessage } from '../components/ui';
import { formatBytes, formatMoment, plural, roleLabel } from '../format';
import { useApp } from '../store';

type Message = { tone: 'success' | 'error'; text: string } | null;

function Feedback({ message }: { message: Message }) {
  if (!message) return <SuccessMessage>{null}</SuccessMessage>;
  return message.tone === 'success' ? <SuccessMessage>{message.text}</SuccessMessage> : <ErrorMessage>{message.text}</ErrorMessage>;
}

export function FileResults({ results, label }: { results: readonly FileResultView[]; label: string }) {
  return (
    <ul className="file-results" aria-label={label}>
      {results.map((result, index) => (
        <li key={`${result.file}-${index}`} className={result.ok ? 'file-result is-accepted' : 'file-result is-refused'}>
          <span className={`badge ${result.ok ? 'badge-verified' : 'badge-expired'}`}>{result.ok ? 'Accepted' : 'Refused'}</span>
          <div className="file-result-body">
            <span className="file-result-name mono">{result.file}</span>
            {result.ok ? (
              <span className="file-result-detail">{result.detail}</span>
            ) : (
              <span className="file-result-detail">
                {result.message} <span className="file-result-code mono">({result.code})</span>
              </span>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

function AuditBanner({ status }: { status: OutcomeStatusView }) {
  if (status.audit.ok) return null;
  return (
    <ErrorMessage>
      <strong>The audit trail is broken at entry {status.audit.brokenAt}.</strong> {status.audit.message} Signing and exporting are blocked until the vault is
      restored from a backup.
    </ErrorMessage>
  );
}

export function Outcome({ caseId, detail, onClose, onShowAudit }: { caseId: string; detail: CaseDetail; onClose: () => void; onShowAudit: () => void }) {
  const [status, setStatus] = useState<OutcomeStatusView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setStatus(await call('records.status', { caseId }));
      setLoadError(null);
    } catch (failure) {
      setLoadError(messageOf(failure));
    }
  }, [caseId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const reference = detail.summary.reference;
  return (
    <div className="page page-wide outcome">
      <Button variant="quiet" className="back-link" onClick={onClose}>
        <span aria-hidden="true">← </span>Case {reference}
      </Button>
      <div className="page-header">
        <div>
          <p className="eyebrow mono">{reference}</p>
          <PageHeading description="The signed record of the decision, the decision letter, and the package for the central office.">Outcome and signatures</PageHeading>
        </div>
        <div className="page-header-actions">
          <Button variant="quiet" onClick={onShowAudit}>
            Audit log
          </Button>
        </div>
      </div>
      {loadError ? <ErrorMessage>{loadError}</ErrorMessage> : null}
      {!status ? (
        loadError ? null : (
          <p className="loading" aria-live="polite">
            Loading the outcome…
          </p>
        )
      ) : status.isChair ? (
        <ChairOutcome caseId={caseId} status={status} onStatus={setStatus} />
      ) : (
        <MemberSigning caseId={caseId} status={status} />
      )}
    </div>
  );
}

// --- the chair ------------------------------------------------------------------------------------------------

function ChairOutcome({ caseId, status, onStatus }: { caseId: string; status: OutcomeStatusView; onStatus: (status: OutcomeStatusView) => void }) {
  const openDecision = useApp((state) => state.openDecision);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const [signing, setSigning] = useState(false);
  const [imported, setImported] = useState<FileResultView[] | null>(null);
  const [officeId, setOfficeId] = useState<string>(status.offices[0]?.id ?? '');
  const signButton = useRef<HTMLButtonElement>(null);

  async function run(label: string, work: () => Promise<void>) {
    if (busy) return;
    setBusy(label);
    setMessage(null);
    try {
      await work();
    } catch (failure) {
      setMessage({ tone: 'error', text: messageOf(failure) });
    } finally {
      setBusy(null);
    }
  }

  const record = status.record;
  const chainBroken = !status.audit.ok;

  if (status.decision.status !== 'final') {
    return (
      <section className="panel" aria-labelledby="outcome-not-final">
        <h2 id="outcome-not-final">The decision is not final yet</h2>
        <p>The outcome record is made from the final decision. Finish the decision and mark it final in the decision workspace; then come back here to sign it.</p>
        <div className="button-row">
          <Button variant="primary" onClick={() => openDecision(true)}>
            Open the decision
          </Button>
        </div>
      </section>
    );
  }

  if (!record) {
    return (
      <>
        <AuditBanner status={status} />
        <section className="panel" aria-labelledby="outcome-build">
          <h2 id="outcome-build">Make the outcome record</h2>
          <p>
            The decision was marked final at revision {status.decision.revision}. The outcome record fixes it, with the checker’s findings, the participants’ keys
            and the hashes of the evidence and of this computer’s audit trail, in one document that every panellist signs.
          </p>
          <Feedback message={message} />
          <div className="button-row">
            <Button
              variant="primary"
              disabled={chainBroken}
              busy={busy === 'build'}
              busyLabel="Making the record…"
              onClick={() => void run('build', async () => onStatus(await call('records.build', { caseId })))}
            >
              Make the outcome record
            </Button>
          </div>
        </section>
      </>
    );
  }

  const required = record.signatures.length + record.missing.reduce((sum, missing) => sum + missing.needed, 0);
  const rows = [
    ...record.signatures.map((s) => ({ key: s.fingerprint, name: s.name, role: s.role, fingerprint: s.fingerprint, purpose: s.purpose, signedAt: s.signedAt as string | null })),
    ...record.missing.flatMap((missing) => missing.outstanding.map((person) => ({ key: person.fingerprint, name: person.name, role: missing.role, fingerprint: person.fingerprint, purpose: missing.purpose, signedAt: null }))),
  ];
  const chairStatement = signingStatement(record.record, 'chair');

  return (
    <>
      <AuditBanner status={status} />
      <section className="panel" aria-labelledby="signatures-title">
        <div className="panel-header">
          <h2 id="signatures-title">Signatures</h2>
          <p className="panel-meta">
            {record.complete ? (
              <span className="badge badge-verified">
                <span aria-hidden="true">✓ </span>Complete
              </span>
            ) : (
              <span className="badge badge-unverified">
                {record.signatures.length} of {required} signed
              </span>
            )}{' '}
            Record version {record.version}
          </p>
        </div>
        <table className="table signature-table">
          <caption className="visually-hidden">Who must sign the record, and who has</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">What they sign</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <td>
                  <span className="person-name">{row.name}</span>
                  <span className="cell-sub">
                    <Fingerprint value={row.fingerprint} size="small" label={`Fingerprint of ${row.name}`} />
                  </span>
                </td>
                <td>{roleLabel(row.role)}</td>
                <td>{PURPOSE_LABELS[row.purpose]}</td>
                <td>
                  {row.signedAt ? (
                    <>
                      <span className="signature-state is-signed">
                        <span aria-hidden="true">✓ </span>Signed
                      </span>
                      <span className="cell-sub">{formatMoment(row.signedAt)}</span>
                    </>
                  ) : (
                    <span className="signature-state is-missing">Missing</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="button-row signature-actions">
          {!record.signedByMe ? (
            <Button ref={signButton} variant="primary" disabled={chainBroken} onClick={() => setSigning(true)}>
              Sign the record…
            </Button>
          ) : null}
          {!record.complete ? (
            <>
              <Button
                busy={busy === 'export'}
                busyLabel="Sealing…"
                disabled={chainBroken}
                onClick={() =>
                  void run('export', async () => {
                    const result = await call('records.exportForSignature', { caseId });
                    if (result.savedTo) {
                      setMessage({
                        tone: 'success',
                        text: `Version ${result.version} of the record was sealed to ${result.recipients.map((r) => r.name).join(', ')} and saved to ${result.savedTo}. Give each of them the file.`,
                      });
                    }
                  })
                }
              >
                Send for signature…
              </Button>
              <Button
                busy={busy === 'import'}
                busyLabel="Checking signatures…"
                onClick={() =>
                  void run('import', async () => {
                    const result = await call('records.importSignatures', { caseId });
                    if (!result) return;
                    setImported(result.results);
                    onStatus(result.status);
                  })
                }
              >
                Add returned signatures…
              </Button>
            </>
          ) : null}
        </div>
        <Feedback message={message} />
        {imported ? <FileResults results={imported} label="Returned signatures" /> : null}
        <p className="audit-note muted">
          {status.audit.ok ? `Audit trail intact: ${plural(status.audit.count, 'entry', 'entries')}, verified just now.` : null}
        </p>
      </section>

      {record.complete ? <LetterAndPackage caseId={caseId} status={status} onStatus={onStatus} officeId={officeId} setOfficeId={setOfficeId} /> : null}

      <section className="panel" aria-labelledby="what-is-signed-title">
        <div className="panel-header">
          <h2 id="what-is-signed-title">What is signed</h2>
          <p className="panel-meta">
            Version {record.version} · SHA-256 <span className="mono hash">{record.recordId}</span>
          </p>
        </div>
        <h3 className="record-heading">Changes</h3>
        <RecordChanges changes={record.changes} previousVersion={record.previous?.version ?? null} />
        <RecordView record={record.record} />
      </section>

      {signing ? (
        <SignDialog
          title="Sign the outcome record"
          statement={chairStatement}
          recordId={record.recordId}
          confirmLabel="Sign"
          onClose={() => setSigning(false)}
          onSign={async (passphrase) => {
            onStatus(await call('records.sign', { caseId, passphrase }));
            setSigning(false);
            setMessage({ tone: 'success', text: 'Your signature was added to the record.' });
          }}
        />
      ) : null}
    </>
  );
}

function LetterAndPackage({
  caseId,
  status,
  onStatus,
  officeId,
  setOfficeId,
}: {
  caseId: string;
  status: OutcomeStatusView;
  onStatus: (status: OutcomeStatusView) => void;
  officeId: string;
  setOfficeId: (id: string) => void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [letterMessage, setLetterMessage] = useState<Message>(null);
  const [packageMessage, setPackageMessage] = useState<Message>(null);
  /** Set when the stored letter certificate failed its check: replacing it is then offered, never done silently. */
  const [certificateDamaged, setCertificateDamaged] = useState(false);
  const letter = status.letter;

  async function run(label: string, report: (message: Message) => void, work: () => Promise<void>) {
    if (busy) return;
    setBusy(label);
    report(null);
    try {
      await work();
    } catch (failure) {
      if (label === 'build' && codeOf(failure) === 'chair-certificate-damaged') setCertificateDamaged(true);
      report({ tone: 'error', text: messageOf(failure) });
    } finally {
      setBusy(null);
    }
  }

  const office = status.offices.find((candidate) => candidate.id === officeId) ?? null;
  return (
    <div className="two-columns outcome-columns">
      <section className="panel" aria-labelledby="letter-title">
        <h2 id="letter-title">Decision letter</h2>
        <p>A PDF made from the signed record: the findings with reasons, the sanction, the orders, the appeal route and every signature. The record is attached to it, and it carries your PDF signature.</p>
        {letter ? (
          <dl className="facts letter-facts">
            <div>
              <dt>Pages</dt>
              <dd>{letter.pageCount}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>{formatBytes(letter.bytes)}</dd>
            </div>
            <div>
              <dt>Signatures listed</dt>
              <dd>{letter.signatures}</dd>
            </div>
            <div>
              <dt>Made</dt>
              <dd>{formatMoment(letter.builtAt)}</dd>
            </div>
          </dl>
        ) : null}
        <Feedback message={letterMessage} />
        {certificateDamaged ? (
          <Notice tone="warning">
            <p>Replacing it keeps the damaged one as evidence and records the replacement in the case’s audit log.</p>
            <div className="button-row">
              <Button
                busy={busy === 'replace'}
                busyLabel="Replacing…"
                onClick={() =>
                  void run('replace', setLetterMessage, async () => {
                    const replaced = await call('records.replaceLetterCertificate', { caseId });
                    setCertificateDamaged(false);
                    setLetterMessage({ tone: 'success', text: `A new certificate (serial ${replaced.serialHex}) was issued. Make the letter again.` });
                  })
                }
              >
                Replace the damaged certificate
              </Button>
            </div>
          </Notice>
        ) : null}
        <div className="button-row">
          {letter ? (
            <Button
              variant="primary"
              busy={busy === 'save'}
              busyLabel="Saving…"
              onClick={() =>
                void run('save', setLetterMessage, async () => {
                  const { savedTo } = await call('records.saveLetter', { caseId });
                  if (savedTo) setLetterMessage({ tone: 'success', text: `The letter was saved to ${savedTo}.` });
                })
              }
            >
              Save the PDF…
            </Button>
          ) : null}
          <Button
            variant={letter ? 'secondary' : 'primary'}
            busy={busy === 'build'}
            busyLabel="Making the letter…"
            onClick={() =>
              void run('build', setLetterMessage, async () => {
                const made = await call('records.buildLetter', { caseId });
                onStatus({ ...status, letter: made });
                setLetterMessage({ tone: 'success', text: `The letter is ready: ${plural(made.pageCount, 'page')}, signed with your certificate.` });
              })
            }
          >
            {letter ? 'Remake the letter' : 'Make the decision letter'}
          </Button>
        </div>
      </section>

      <section className="panel" aria-labelledby="package-title">
        <h2 id="package-title">Send to the central office</h2>
        <p>The outcome package holds the signed record, the letter and the anonymised summary, sealed so that only the central office can open it. Save it to a USB stick; nothing is sent anywhere.</p>
        {status.offices.length === 0 ? (
          <Notice tone="warning">No central-office contact is in your address book. Import the central office’s card there first.</Notice>
        ) : (
          <SelectField
            label="Central office"
            value={officeId}
            onChange={(event) => setOfficeId(event.target.value)}
            options={status.offices.map((candidate) => ({ value: candidate.id, label: `${candidate.name}${candidate.verified ? '' : ' (not verified)'}` }))}
          />
        )}
        {office && !office.verified ? <Notice tone="warning">You have not verified this card’s fingerprint with the central office. Check it before sending.</Notice> : null}
        {!letter ? <p className="muted">Make the decision letter first: it travels in the package.</p> : null}
        <Feedback message={packageMessage} />
        <div className="button-row">
          <Button
            variant="primary"
            disabled={!letter || !office || !status.audit.ok}
            busy={busy === 'package'}
            busyLabel="Sealing the package…"
            onClick={() =>
              void run('package', setPackageMessage, async () => {
                const result = await call('records.exportPackage', { caseId, officeContactId: officeId });
                if (result.savedTo) setPackageMessage({ tone: 'success', text: `The outcome package for ${result.office} was saved to ${result.savedTo}.` });
              })
            }
          >
            Export the outcome package…
          </Button>
        </div>
      </section>
    </div>
  );
}

// --- a member ----------------------------------------------------------------------------------------------------

function MemberSigning({ caseId, status }: { caseId: string; status: OutcomeStatusView }) {
  const [view, setView] = useState<ForSignatureView | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [signing, setSigning] = useState(false);
  const [savedTo, setSavedTo] = useState<string | null>(null);

  async function open() {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const opened = await call('records.openForSignature', { caseId });
      if (opened) {
        setView(opened);
        setSavedTo(null);
      }
    } catch (failure) {
      setMessage({ tone: 'error', text: messageOf(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <AuditBanner status={status} />
      <section className="panel" aria-labelledby="member-sign-title">
        <h2 id="member-sign-title">Sign the outcome record</h2>
        <p>
          When the decision is final, the chair sends the outcome record for signature as a sealed file. Open it here to read exactly what you would sign. Your
          signature goes back to the chair as a file of its own.
        </p>
        <Feedback message={message} />
        <div className="button-row">
          <Button variant={view ? 'secondary' : 'primary'} busy={busy} busyLabel="Opening…" onClick={() => void open()}>
            Open the record for signature…
          </Button>
        </div>
      </section>

      {view ? (
        <section className="panel" aria-labelledby="for-signature-title">
          <div className="panel-header">
            <h2 id="for-signature-title">What you sign</h2>
            <p className="panel-meta">
              Version {view.version} from {view.chair.name} (chair) · SHA-256 <span className="mono hash">{view.payloadSha256}</span>
            </p>
          </div>
          {view.statement ? (
            <blockquote className="sign-statement">
              <p className="sign-statement-label">As {roleLabel(view.me.role).toLowerCase()}, your signature states</p>
              <p>{view.statement}</p>
            </blockquote>
          ) : null}
          <p>
            Signed so far:{' '}
            {view.signedBy.length ? view.signedBy.map((signer) => `${signer.name} (${roleLabel(signer.role).toLowerCase()})`).join(', ') : 'nobody yet'}.
          </p>
          {savedTo ? (
            <SuccessMessage>
              Your signature was saved to {savedTo}. Give this file to the chair, {view.chair.name}; it holds only your signature.
            </SuccessMessage>
          ) : view.alreadySignedByMe ? (
            <Notice>You have already signed this version of the record.</Notice>
          ) : (
            <div className="button-row">
              <Button variant="primary" disabled={!status.audit.ok || view.purpose === null} onClick={() => setSigning(true)}>
                Sign and save my signature…
              </Button>
            </div>
          )}
          <h3 className="record-heading">Changes</h3>
          <RecordChanges changes={view.changes} previousVersion={view.previous?.version ?? null} />
          <RecordView record={view.record} />
        </section>
      ) : null}

      {signing && view ? (
        <SignDialog
          title="Sign the outcome record"
          statement={view.statement}
          recordId={view.payloadSha256}
          confirmLabel="Sign and save…"
          onClose={() => setSigning(false)}
          onSign={async (passphrase) => {
            const result = await call('records.signForSignature', { caseId, payloadSha256: view.payloadSha256, passphrase });
            setSigning(false);
            if (result.savedTo) setSavedTo(result.savedTo);
            else setMessage({ tone: 'error', text: 'Your signature was not saved, so the chair will not receive it. Sign again and choose where to save it.' });
          }}
        />
      ) : null}
    </>
  );
}
