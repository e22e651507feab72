// An outcome record rendered for people: exactly the fields the signature covers, in reading order (the case, the
// findings with reasons, seriousness and sanction, orders, what the checker flagged and how the panel answered, the
// lawyer's advice, the publication summary, who took part with their keys, and the hashes that pin the evidence,
// the criteria and the audit trail). The canonical JSON itself is one disclosure away. Also the list of changes
// since the version a signer saw last.
import type { ReactNode } from 'react';
import { canonicalize } from '../../../../shared/canonical-json';
import { sampleCriteria } from '../../../../shared/criteria';
import type { CriteriaDocument } from '../../../../shared/domain/criteria';
import type { FactorAssessment } from '../../../../shared/domain/decision';
import type { OutcomeRecord, RecordChange, SignaturePurpose } from '../../../../shared/domain/record';
import { bodyLabel, COMPLAINT_TYPE_LABELS, formatDay, PROTECTED_CHARACTERISTIC_LABELS, roleLabel } from '../../format';
import { Fingerprint } from '../Fingerprint';

const FINDING_LABELS: Record<string, string> = { proven: 'Proven', 'not-proven': 'Not proven', withdrawn: 'Withdrawn' };

export const PURPOSE_LABELS: Record<SignaturePurpose, string> = {
  decision: 'Signs the decision',
  'attest-advice': 'Attests the advice summary',
  'attest-record': 'Attests the record',
};

/** The criteria a record names, when this app holds exactly them (for labels); null otherwise: ids are shown. */
export function criteriaOf(record: Pick<OutcomeRecord, 'criteria'>): CriteriaDocument | null {
  const sample = sampleCriteria();
  return sample.id === record.criteria.id && sample.version === record.criteria.version ? sample : null;
}

/** What a signature by someone in this role states, from the criteria the record names. */
export function signingStatement(record: OutcomeRecord, role: string): string | null {
  return criteriaOf(record)?.outcomeSignatures.requirements.find((r) => r.role === role)?.statement ?? null;
}

function labelIn(list: readonly { id: string; label: string }[] | undefined, id: string | null | undefined): string {
  if (!id) return 'None';
  return list?.find((item) => item.id === id)?.label ?? id;
}

function words(slug: string | null): string {
  if (!slug) return 'Not stated';
  const text = slug.replace(/-/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function Field({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Prose({ text, empty = 'None recorded' }: { text: string | undefined | null; empty?: string }) {
  if (!text || !text.trim()) return <p className="muted">{empty}</p>;
  return (
    <>
      {text.split(/\n{2,}/).map((paragraph, index) => (
        <p key={index} className="record-prose">
          {paragraph}
        </p>
      ))}
    </>
  );
}

export function RecordView({ record, headingLevel = 3 }: { record: OutcomeRecord; headingLevel?: 2 | 3 }) {
  const criteria = criteriaOf(record);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const factors = (list: FactorAssessment, known: readonly { id: string; label: string }[] | undefined) =>
    list === null ? 'Not assessed' : list === 'none' ? 'None' : list.map((entry) => labelIn(known, entry.factorId) + (entry.note ? ` (${entry.note})` : '')).join('; ');
  const acknowledged = record.checker.findings.filter((finding) => finding.acknowledged);
  const rung = criteria?.ladder.find((r) => r.id === record.sanction?.rungId);
  return (
    <div className="record-view">
      <section aria-label="The case">
        <H className="record-heading">The case</H>
        <dl className="facts record-facts">
          <Field term="Case reference">
            <span className="mono">{record.caseReference}</span>
          </Field>
          <Field term="Deciding body">{bodyLabel(record.decidingBody)}</Field>
          <Field term="Complaint type">{record.complaintType ? COMPLAINT_TYPE_LABELS[record.complaintType] : 'Not stated'}</Field>
          <Field term="Region">{words(record.region)}</Field>
          <Field term="Complaint received">{formatDay(record.dates.complaintReceived)}</Field>
          <Field term="Hearing">{formatDay(record.dates.hearing)}</Field>
          <Field term="Decision">{formatDay(record.dates.decision)}</Field>
          <Field term="Respondent / complainant">
            {record.respondent.pseudonym} / {record.complainant.pseudonym}
          </Field>
          <Field term="Protected characteristics">
            {record.protectedCharacteristics.length ? record.protectedCharacteristics.map((item) => PROTECTED_CHARACTERISTIC_LABELS[item]).join(', ') : 'None stated'}
          </Field>
          <Field term="Criteria">
            {criteria?.title ?? record.criteria.id} · version {record.criteria.version}
          </Field>
          <Field term="Outcome (for publication)">{labelIn(criteria?.outcomeCategories, record.outcomeCategory)}</Field>
          <Field term="Decision revision">{record.decisionRevision}</Field>
        </dl>
      </section>

      <section aria-label="Findings">
        <H className="record-heading">Findings</H>
        <ol className="record-allegations">
          {record.allegations.map((allegation) => (
            <li key={allegation.number}>
              <div className="record-allegation-head">
                <span className="allegation-number" aria-hidden="true">
                  {allegation.number}
                </span>
                <p className="allegation-text">
                  <span className="visually-hidden">Allegation {allegation.number}: </span>
                  {allegation.text}
                </p>
                <span className={`badge ${allegation.finding === 'proven' ? 'badge-finding-proven' : 'badge-neutral'}`}>{FINDING_LABELS[allegation.finding] ?? allegation.finding}</span>
              </div>
              <p className="allegation-rule">
                {allegation.ruleReference} · {labelIn(criteria?.conductCategories, allegation.conductCategoryId)}
                {allegation.evidenceRefs.length ? ` · evidence ${allegation.evidenceRefs.join(', ')}` : ''}
              </p>
              <dl className="record-text-list">
                <Field term="Facts">
                  <Prose text={allegation.facts} />
                </Field>
                <Field term="Reasons">
                  <Prose text={allegation.reasons} />
                </Field>
              </dl>
            </li>
          ))}
        </ol>
      </section>

      <section aria-label="Seriousness and sanction">
        <H className="record-heading">Seriousness and sanction</H>
        {record.seriousness ? (
          <dl className="record-text-list">
            <Field term="Band">{labelIn(criteria?.seriousnessBands, record.seriousness.band)}</Field>
            <Field term="Culpability">
              <Prose text={record.seriousness.culpability} />
            </Field>
            <Field term="Harm">
              <Prose text={record.seriousness.harm} />
            </Field>
            <Field term="Aggravating factors">{factors(record.seriousness.aggravating, criteria?.aggravatingFactors)}</Field>
            <Field term="Mitigating factors">{factors(record.seriousness.mitigating, criteria?.mitigatingFactors)}</Field>
          </dl>
        ) : (
          <p className="muted">No seriousness assessment (nothing was proven).</p>
        )}
        {record.sanction ? (
          <dl className="record-text-list">
            <Field term="Sanction">
              <strong>{rung?.label ?? record.sanction.rungId}</strong>
              {Object.entries(record.sanction.parameters).length ? (
                <span>
                  {' '}
                  ·{' '}
                  {Object.entries(record.sanction.parameters)
                    .map(([id, value]) => {
                      const parameter = rung?.parameters.find((p) => p.id === id);
                      const shown = parameter?.kind === 'choice' ? labelIn(parameter.options, String(value)) : parameter?.kind === 'term' ? `${value} ${parameter.unit}` : String(value);
                      return `${parameter?.label ?? id}: ${shown}`;
                    })
                    .join(', ')}
                </span>
              ) : null}
            </Field>
            {Object.entries(record.sanction.lesserRungReasons).map(([id, reason]) => (
              <Field key={id} term={`Why not ${labelIn(criteria?.ladder, id).toLowerCase()}`}>
                <Prose text={reason} />
              </Field>
            ))}
            {record.sanction.nextRungReason ? (
              <Field term="Why nothing more serious">
                <Prose text={record.sanction.nextRungReason} />
              </Field>
            ) : null}
            {record.sanction.departureReason ? (
              <Field term="Departure from the indicated range">
                <Prose text={record.sanction.departureReason} />
              </Field>
            ) : null}
          </dl>
        ) : null}
      </section>

      <section aria-label="Orders">
        <H className="record-heading">Orders</H>
        <dl className="record-text-list">
          <Field term="Education course">{record.orders.educationCourse ? `To be completed by ${formatDay(record.orders.educationCourse.dueDate)}` : 'None ordered'}</Field>
          <Field term="Referral">{record.orders.referral ? `${record.orders.referral.to}: ${record.orders.referral.reason}` : 'None'}</Field>
          {record.delayExplanation ? (
            <Field term="Explanation of delay">
              <Prose text={record.delayExplanation} />
            </Field>
          ) : null}
        </dl>
      </section>

      <section aria-label="Checks and advice">
        <H className="record-heading">Checks and advice</H>
        <dl className="record-text-list">
          <Field term="Checker">
            {record.checker.findings.length} finding{record.checker.findings.length === 1 ? '' : 's'} against the criteria; {acknowledged.length} warning
            {acknowledged.length === 1 ? '' : 's'} acknowledged
            {acknowledged.length ? (
              <ul className="plain-list record-acks">
                {acknowledged.map((finding, index) => (
                  <li key={`${finding.ruleId}-${index}`}>
                    {finding.message} <span className="muted">Reason: {finding.acknowledged?.reason}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </Field>
          <Field term="External lawyer’s advice">
            <Prose text={record.lawyerAdvice?.summary} empty="No advice recorded" />
          </Field>
          <Field term="Summary for publication">
            <Prose text={record.publicationSummary} />
          </Field>
        </dl>
      </section>

      <section aria-label="Participants and hashes">
        <H className="record-heading">Participants</H>
        <table className="table record-people">
          <caption className="visually-hidden">Participants named in the record</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Fingerprint</th>
            </tr>
          </thead>
          <tbody>
            {record.participants.map((person) => (
              <tr key={person.id}>
                <td>
                  {person.name}
                  {person.recused ? <span className="badge badge-neutral record-recused">Stepped aside</span> : null}
                </td>
                <td>{roleLabel(person.role)}</td>
                <td>
                  <Fingerprint value={person.fingerprint} size="small" label={`Fingerprint of ${person.name}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="record-hashes">
          <Field term="Bundle manifest (SHA-256)">
            <span className="mono hash">{record.bundleManifestSha256}</span>
          </Field>
          <Field term="Criteria text (SHA-256)">
            <span className="mono hash">{record.criteria.digest}</span>
          </Field>
          <Field term="Audit trail head (SHA-256)">
            <span className="mono hash">{record.auditHeadSha256}</span>
          </Field>
        </dl>
      </section>

      <details className="record-canonical">
        <summary>The exact text that is signed (canonical JSON)</summary>
        <pre className="mono" tabIndex={0} aria-label="Canonical JSON of the record">
          {canonicalize(record)}
        </pre>
      </details>
    </div>
  );
}

function shown(value: unknown): string {
  if (value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** What changed between the version a signer saw last and this one. */
export function RecordChanges({ changes, previousVersion }: { changes: readonly RecordChange[]; previousVersion: number | null }) {
  if (previousVersion === null) {
    return <p className="muted">This is the first version of the record you have been shown, so there is nothing to compare it with.</p>;
  }
  if (changes.length === 0) return <p>Nothing changed since version {previousVersion}, which you saw before.</p>;
  return (
    <table className="table record-changes">
      <caption>
        {changes.length} change{changes.length === 1 ? '' : 's'} since version {previousVersion}, which you saw before
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">Now</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.path}>
            <td className="mono">{change.path}</td>
            <td className="record-change-before">{change.change === 'added' ? <span className="muted">(not there)</span> : shown(change.before)}</td>
            <td className="record-change-after">{change.change === 'removed' ? <span className="muted">(removed)</span> : shown(change.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
