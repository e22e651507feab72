// A case's audit log: every action recorded on this computer for the case, newest first, with the hash chain's
// state verified just now (intact, or broken at a named entry; a broken chain blocks signing and export).
import { useEffect, useState } from 'react';
import type { AuditLogView } from '../../../shared/contract';
import { call, messageOf } from '../api';
import { Fingerprint } from '../components/Fingerprint';
import { Button, ErrorMessage, PageHeading, SuccessMessage, TableWrap } from '../components/ui';
import { formatMoment, plural } from '../format';

export function AuditLog({ caseId, reference, onClose }: { caseId: string; reference: string; onClose: () => void }) {
  const [log, setLog] = useState<AuditLogView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('records.auditLog', { caseId }).then(
      (result) => live && setLog(result),
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, [caseId]);

  return (
    <div className="page page-wide audit-log">
      <Button variant="quiet" className="back-link" onClick={onClose}>
        <span aria-hidden="true">← </span>Case {reference}
      </Button>
      <div>
        <p className="eyebrow mono">{reference}</p>
        <PageHeading description="Everything done to this case on this computer, in a hash chain: changing, removing or reordering any entry shows as a break.">Audit log</PageHeading>
      </div>
      {error ? <ErrorMessage>{error}</ErrorMessage> : null}
      {!log ? (
        error ? null : (
          <p className="loading" aria-live="polite">
            Verifying the audit trail…
          </p>
        )
      ) : (
        <>
          {log.chain.ok ? (
            <SuccessMessage>
              <strong>The chain is intact.</strong> All {plural(log.chain.count, 'entry', 'entries')} of this computer’s audit trail were verified just now. Head{' '}
              <span className="mono hash">{log.chain.headHash}</span>
            </SuccessMessage>
          ) : (
            <ErrorMessage>
              <strong>The chain is broken at entry {log.chain.brokenAt}.</strong> {log.chain.message} Signing and export are blocked.
            </ErrorMessage>
          )}
          <TableWrap label={`Audit log of case ${reference}`}>
            <table className="table audit-table">
              <caption className="visually-hidden">Audit log of case {reference}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col" className="col-counter">
                    Entry
                  </th>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Object</th>
                </tr>
              </thead>
              <tbody>
                {log.entries.length === 0 ? (
                  <tr>
                    <td colSpan={5} className="muted">
                      Nothing has been recorded for this case yet.
                    </td>
                  </tr>
                ) : (
                  log.entries.map((entry) => (
                    <tr key={entry.counter} className={!log.chain.ok && entry.counter === log.chain.brokenAt ? 'is-broken' : undefined}>
                      <td className="mono">{entry.counter}</td>
                      <td className="nowrap">{formatMoment(entry.time)}</td>
                      <td>
                        <span className="person-name">{entry.actor.isMe ? `${entry.actor.name ?? 'You'} (you)` : (entry.actor.name ?? 'Unknown key')}</span>
                        <span className="cell-sub">
                          <Fingerprint value={entry.actor.fingerprint} size="small" label={`Fingerprint of ${entry.actor.name ?? 'the actor'}`} />
                        </span>
                      </td>
                      <td>{entry.actionLabel}</td>
                      <td className="audit-object">{entry.object}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </TableWrap>
          {log.truncated ? <p className="muted">Only the latest {plural(log.entries.length, 'entry', 'entries')} are shown.</p> : null}
        </>
      )}
    </div>
  );
}
