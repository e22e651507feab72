// One received case: what it is (reference, body, dates, who sealed it), the bundle index (sections, then
// documents with their page labels, which match the page numbers printed in the bundle), the allegations and
// the people on the panel. "Wipe this case…" destroys it after saying exactly what goes.
import { useEffect, useRef, useState } from 'react';
import type { CaseDetail } from '../../../shared/contract';
import { call, messageOf } from '../api';
import { Fingerprint } from '../components/Fingerprint';
import { SectionLabel } from '../components/SectionLabel';
import { Button, ErrorMessage, PageHeading } from '../components/ui';
import { LegalHoldPanel } from '../components/LegalHoldPanel';
import { WipeCaseDialog } from '../components/WipeCaseDialog';
import { bodyLabel, COMPLAINT_TYPE_LABELS, formatDay, formatMoment, kindLabel, labelRange, plural, PROTECTED_CHARACTERISTIC_LABELS, roleLabel } from '../format';
import { useApp } from '../store';
import { Reader } from '../reader/Reader';
import { AuditLog } from './AuditLog';
import { Outcome } from './Outcome';

export function CaseView({ caseId }: { caseId: string }) {
  const openCase = useApp((state) => state.openCase);
  const openDecision = useApp((state) => state.openDecision);
  const showToast = useApp((state) => state.showToast);
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [wiping, setWiping] = useState(false);
  /** The document the evidence reader is open at (null: the case itself is shown). */
  const [readingDocumentId, setReadingDocumentId] = useState<string | null>(null);
  /** The outcome (record, signatures, letter, package) or the audit log, shown instead of the case. */
  const [outcomePage, setOutcomePage] = useState<'outcome' | 'audit' | null>(null);
  const backRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    call('cases.get', { id: caseId }).then(
      (result) => live && setDetail(result),
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, [caseId]);

  const back = (
    <Button ref={backRef} variant="quiet" className="back-link" onClick={() => openCase(null)}>
      <span aria-hidden="true">← </span>All cases
    </Button>
  );

  if (!detail) {
    return (
      <div className="page">
        {back}
        {error ? (
          <>
            <PageHeading>This case cannot be shown</PageHeading>
            <ErrorMessage>{error}</ErrorMessage>
          </>
        ) : (
          <p className="loading" aria-live="polite">
            Loading the case…
          </p>
        )}
      </div>
    );
  }

  if (readingDocumentId) return <Reader detail={detail} initialDocumentId={readingDocumentId} onClose={() => setReadingDocumentId(null)} />;
  if (outcomePage === 'outcome') return <Outcome caseId={caseId} detail={detail} onClose={() => setOutcomePage(null)} onShowAudit={() => setOutcomePage('audit')} />;
  if (outcomePage === 'audit') return <AuditLog caseId={caseId} reference={detail.summary.reference} onClose={() => setOutcomePage(null)} />;

  const { summary, caseFile, sealer } = detail;
  const sections = detail.sections
    .map((section) => ({ ...section, documents: detail.documents.filter((doc) => doc.section === section.letter) }))
    .filter((section) => section.documents.length > 0);

  return (
    <div className="page page-wide case-view">
      {back}
      <div className="page-header">
        <div>
          <p className="eyebrow mono">{summary.reference}</p>
          <PageHeading description={bodyLabel(summary.decidingBody)}>{summary.title}</PageHeading>
        </div>
        <div className="page-header-actions">
          <Button variant="primary" onClick={() => openDecision(true)}>
            Decision
          </Button>
          <Button onClick={() => setOutcomePage('outcome')}>Outcome and signatures</Button>
          <Button variant="quiet" onClick={() => setOutcomePage('audit')}>
            Audit log
          </Button>
          <Button variant="quiet" className="btn-danger-quiet" onClick={() => setWiping(true)}>
            Wipe this case…
          </Button>
        </div>
      </div>

      <section className="panel" aria-labelledby="case-facts-title">
        <h2 id="case-facts-title" className="visually-hidden">
          About this case
        </h2>
        <dl className="facts">
          <div>
            <dt>Hearing</dt>
            <dd>{formatDay(caseFile.dates.hearing)}</dd>
          </div>
          <div>
            <dt>Complaint received</dt>
            <dd>{formatDay(caseFile.dates.complaintReceived)}</dd>
          </div>
          <div>
            <dt>Your role</dt>
            <dd>{roleLabel(summary.myRole)}</dd>
          </div>
          <div>
            <dt>Available until</dt>
            <dd>{formatDay(summary.expiresOn)}</dd>
          </div>
          <div>
            <dt>Complaint type</dt>
            <dd>{caseFile.complaintType ? COMPLAINT_TYPE_LABELS[caseFile.complaintType] : 'Not stated'}</dd>
          </div>
          <div>
            <dt>Protected characteristics</dt>
            <dd>
              {caseFile.protectedCharacteristics.length > 0
                ? caseFile.protectedCharacteristics.map((item) => PROTECTED_CHARACTERISTIC_LABELS[item]).join(', ')
                : 'None stated'}
            </dd>
          </div>
          <div>
            <dt>Respondent</dt>
            <dd>{caseFile.respondent.pseudonym}</dd>
          </div>
          <div>
            <dt>Complainant</dt>
            <dd>{caseFile.complainant.pseudonym}</dd>
          </div>
        </dl>
        <div className="sealed-by">
          <span className="sealed-by-text">
            Sealed by <strong>{sealer.name}</strong> ({roleLabel(sealer.role)}) · revision {detail.revision} · imported{' '}
            {formatMoment(summary.importedAt)}
          </span>
          <span className="sealed-by-key">
            <Fingerprint value={sealer.fingerprint} size="small" label={`Fingerprint of ${sealer.name}`} />
            {sealer.verified ? (
              <span className="badge badge-verified">
                <span aria-hidden="true">✓ </span>Verified
              </span>
            ) : (
              <span className="badge badge-unverified">Not verified</span>
            )}
          </span>
        </div>
      </section>

      <section className="panel" aria-labelledby="bundle-index-title">
        <div className="panel-header">
          <h2 id="bundle-index-title">Bundle index</h2>
          <p className="panel-meta">
            {plural(summary.documentCount, 'document')}, {plural(summary.pageCount, 'page')}
          </p>
        </div>
        {sections.map((section) => (
          <div key={section.letter} className="index-section">
            <h3 className="index-section-title">
              <SectionLabel section={section} />
            </h3>
            <table className="table index-table">
              <caption className="visually-hidden">
                Section {section.letter}: {section.title}
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="col-pages">
                    Pages
                  </th>
                  <th scope="col">Document</th>
                  <th scope="col" className="col-date">
                    Date
                  </th>
                  <th scope="col" className="col-kind">
                    Kind
                  </th>
                  <th scope="col" className="col-count">
                    Length
                  </th>
                </tr>
              </thead>
              <tbody>
                {section.documents.map((doc) => (
                  <tr key={doc.id} data-document-id={doc.id}>
                    <td className="page-label mono">{labelRange(doc.firstLabel, doc.lastLabel)}</td>
                    <td className="index-doc-title">
                      <button type="button" className="link-button" onClick={() => setReadingDocumentId(doc.id)}>
                        {doc.title}
                      </button>
                    </td>
                    <td className="nowrap">{formatDay(doc.date, '—', true)}</td>
                    <td>{kindLabel(doc.kind)}</td>
                    <td className="nowrap">{plural(doc.pageCount, 'page')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </section>

      <div className="two-columns">
        <section className="panel" aria-labelledby="allegations-title">
          <h2 id="allegations-title">Allegations</h2>
          <ol className="allegations">
            {caseFile.allegations.map((allegation) => (
              <li key={allegation.number}>
                <span className="allegation-number" aria-hidden="true">
                  {allegation.number}
                </span>
                <div>
                  <p className="allegation-text">
                    <span className="visually-hidden">Allegation {allegation.number}: </span>
                    {allegation.text}
                  </p>
                  <p className="allegation-rule">{allegation.ruleReference}</p>
                </div>
              </li>
            ))}
          </ol>
        </section>
        <section className="panel" aria-labelledby="participants-title">
          <h2 id="participants-title">Participants</h2>
          {caseFile.participants.length === 0 ? (
            <p className="muted">No participants are named in this bundle.</p>
          ) : (
            <ul className="people">
              {caseFile.participants.map((person) => (
                <li key={person.id}>
                  <span className="person-name">{person.name}</span>
                  <span className="person-role">{roleLabel(person.role)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <LegalHoldPanel caseId={caseId} />

      {wiping ? (
        <WipeCaseDialog
          target={{ id: summary.id, reference: summary.reference, title: summary.title, documentCount: summary.documentCount, pageCount: summary.pageCount, expired: summary.status === 'expired' }}
          onClose={() => setWiping(false)}
          onWiped={() => {
            setWiping(false);
            showToast(`Case ${summary.reference} was wiped from this computer.`, 'info');
            openCase(null);
          }}
        />
      ) : null}
    </div>
  );
}
