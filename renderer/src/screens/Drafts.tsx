// The clerk's cases in preparation: each draft can be reopened in the case builder, and "New case" starts
// one. Drafts live in the vault like everything else; only sealed bundle files ever leave the computer.
import { useEffect, useState } from 'react';
import type { DraftSummary } from '../../../shared/contract';
import { call, messageOf } from '../api';
import { Button, ErrorMessage, PageHeading, TableWrap } from '../components/ui';
import { formatMoment, plural } from '../format';
import { useApp } from '../store';

export function Drafts() {
  const openDraft = useApp((state) => state.openDraft);
  const [drafts, setDrafts] = useState<DraftSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState<'case' | 'practice' | null>(null);

  useEffect(() => {
    let live = true;
    call('drafts.list', {}).then(
      (list) => live && setDrafts(list),
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, []);

  async function create(kind: 'case' | 'practice') {
    if (creating) return;
    setCreating(kind);
    setError(null);
    try {
      const view = await call(kind === 'case' ? 'drafts.create' : 'drafts.createPractice', {});
      openDraft(view.draft.id);
    } catch (failure) {
      setError(messageOf(failure));
      setCreating(null);
    }
  }

  return (
    <div className="page page-wide">
      <div className="page-header">
        <PageHeading description="Build a hearing bundle from the evidence, then seal it for exactly the people named on the case.">
          Prepare bundles
        </PageHeading>
        <div className="button-row">
          <Button
            busy={creating === 'practice'}
            busyLabel="Creating…"
            aria-describedby="practice-case-hint"
            onClick={() => void create('practice')}
          >
            New practice case
          </Button>
          <Button variant="primary" busy={creating === 'case'} busyLabel="Creating…" onClick={() => void create('case')}>
            New case
          </Button>
        </div>
      </div>
      <p id="practice-case-hint" className="field-hint">
        Training a panel? A practice case holds the demo hearing’s fictional complaint, evidence and allegations: name the people taking part, add any
        instructions for them, and seal it as usual.
      </p>
      <ErrorMessage>{error}</ErrorMessage>
      {drafts === null && !error ? <p className="loading">Loading cases in preparation…</p> : null}
      {drafts && drafts.length === 0 ? (
        <section className="panel empty-state" aria-labelledby="drafts-empty-title">
          <h2 id="drafts-empty-title">No cases in preparation</h2>
          <p>Preparing a hearing bundle takes four steps:</p>
          <ol className="steps steps-numbered">
            <li>
              <strong>Import the participant card of everyone on the case</strong> in the address book, and compare their fingerprints.
            </li>
            <li>
              <strong>Describe the case:</strong> its reference, the deciding body, the dates and each allegation with the rule it concerns.
            </li>
            <li>
              <strong>Add the evidence</strong> section by section. Pages are numbered continuously through the bundle, each label carrying its section’s letter, and indexed for you.
            </li>
            <li>
              <strong>Seal the bundle.</strong> Each person named can open their copy; nobody else can.
            </li>
          </ol>
        </section>
      ) : null}
      {drafts && drafts.length > 0 ? (
        <TableWrap label="Cases in preparation">
          <table className="table">
            <caption className="visually-hidden">Cases in preparation</caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Documents</th>
                <th scope="col">Sealed</th>
                <th scope="col">Last changed</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {drafts.map((draft) => {
                const name = draft.reference || draft.title || 'Untitled case';
                return (
                  <tr key={draft.id}>
                    <td>
                      <span className="case-ref mono">{draft.reference || 'No reference yet'}</span>
                      <span className="case-title">{draft.title || 'Untitled case'}</span>
                    </td>
                    <td>{plural(draft.documentCount, 'document')}</td>
                    <td>{draft.sealedRevisions === 0 ? 'Not yet' : `Revision ${draft.sealedRevisions}`}</td>
                    <td>{formatMoment(draft.updatedAt)}</td>
                    <td className="cell-actions">
                      <Button aria-label={`Continue preparing ${name}`} onClick={() => openDraft(draft.id)}>
                        Continue
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </div>
  );
}
