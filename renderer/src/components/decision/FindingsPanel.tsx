// The live check beside the draft: findings grouped by severity, each a button that focuses the field it
// concerns, with its citation; a warning is acknowledged in place, with the reason typed under it.
import { useId, useState } from 'react';
import type { CheckResult, Finding, Severity } from '../../../../shared/checker/result';
import { Button, ErrorMessage } from '../ui';

const GROUPS: { severity: Severity; title: string; empty: string }[] = [
  { severity: 'block', title: 'Must be fixed', empty: 'Nothing blocks this decision.' },
  { severity: 'warn', title: 'Warnings', empty: 'No warnings.' },
  { severity: 'info', title: 'For information', empty: 'Nothing to note.' },
];

interface FindingsPanelProps {
  check: CheckResult;
  criteriaTitle: string | null;
  canAcknowledge: boolean;
  onFocusFinding(finding: Finding): void;
  onAcknowledge(finding: Finding, reason: string): Promise<void>;
}

export function FindingsPanel({ check, criteriaTitle, canAcknowledge, onFocusFinding, onAcknowledge }: FindingsPanelProps) {
  const counts = { block: 0, warn: 0, info: 0 };
  for (const finding of check.findings) counts[finding.severity]++;
  return (
    <aside className="panel findings-panel" aria-labelledby="findings-title">
      <div className="findings-head">
        <h2 id="findings-title">Findings</h2>
        <p className="panel-meta" aria-live="polite">
          {counts.block} to fix · {counts.warn} warning{counts.warn === 1 ? '' : 's'} · {counts.info} note{counts.info === 1 ? '' : 's'}
        </p>
        <p className="findings-criteria">
          Checked against {criteriaTitle ?? check.criteriaId}, version {check.criteriaVersion}
          {check.criteriaIsSample ? <span className="badge badge-sample">SAMPLE</span> : null}
        </p>
      </div>
      {GROUPS.map((group) => {
        const findings = check.findings.filter((finding) => finding.severity === group.severity);
        const headingId = `findings-${group.severity}`;
        return (
          <section key={group.severity} className={`findings-group findings-${group.severity}`} aria-labelledby={headingId}>
            <h3 id={headingId}>
              {group.title} <span className="findings-count">({findings.length})</span>
            </h3>
            {findings.length === 0 ? (
              <p className="muted findings-empty">{group.empty}</p>
            ) : (
              <ul className="findings-list">
                {findings.map((finding) => (
                  <FindingItem
                    key={`${finding.ruleId}:${finding.fieldKey}`}
                    finding={finding}
                    canAcknowledge={canAcknowledge}
                    onFocus={() => onFocusFinding(finding)}
                    onAcknowledge={(reason) => onAcknowledge(finding, reason)}
                  />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </aside>
  );
}

function FindingItem({ finding, canAcknowledge, onFocus, onAcknowledge }: { finding: Finding; canAcknowledge: boolean; onFocus(): void; onAcknowledge(reason: string): Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonId = useId();
  const { citation } = finding;

  async function submit() {
    if (!reason.trim()) {
      setError('Say why the warning is acknowledged: the reason is kept with the decision.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onAcknowledge(reason.trim());
      setOpen(false);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'The acknowledgement was not recorded.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className={`finding finding-${finding.severity}${finding.acknowledged ? ' is-acknowledged' : ''}`} data-rule-id={finding.ruleId}>
      <button type="button" className="finding-message" onClick={onFocus}>
        <span className="visually-hidden">{finding.severity === 'block' ? 'Must be fixed: ' : finding.severity === 'warn' ? 'Warning: ' : 'Note: '}</span>
        {finding.message}
      </button>
      <p className="finding-citation">
        {citation.sourceTitle}, para. {citation.paragraph}
      </p>
      {finding.acknowledged ? (
        <p className="finding-ack">
          <span className="finding-ack-label">Acknowledged:</span> {finding.acknowledged.reason}
        </p>
      ) : finding.severity === 'warn' && canAcknowledge ? (
        open ? (
          <div className="finding-ack-form">
            <label htmlFor={reasonId} className="field-label">
              Reason for acknowledging
            </label>
            <textarea id={reasonId} className="input" rows={3} value={reason} onChange={(event) => setReason(event.target.value)} maxLength={2000} />
            <ErrorMessage>{error}</ErrorMessage>
            <div className="button-row">
              <Button variant="primary" busy={busy} busyLabel="Recording…" onClick={submit}>
                Record acknowledgement
              </Button>
              <Button variant="quiet" onClick={() => setOpen(false)}>
                Cancel
              </Button>
            </div>
          </div>
        ) : (
          <Button variant="secondary" className="btn-small" onClick={() => setOpen(true)}>
            Acknowledge…
          </Button>
        )
      ) : null}
    </li>
  );
}
