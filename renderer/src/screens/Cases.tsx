// The cases this person takes part in. Until a bundle has been opened there are none, so the empty state
// explains, step by step, how one arrives — starting with sharing one's participant card.
import { useEffect, useState } from 'react';
import type { CaseSummary } from '../../../shared/contract';
import { call, messageOf } from '../api';
import { ShareCardDialog } from '../components/ShareCardDialog';
import { Button, ErrorMessage, PageHeading } from '../components/ui';

export function Cases() {
  const [cases, setCases] = useState<CaseSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sharing, setSharing] = useState(false);

  useEffect(() => {
    let live = true;
    call('cases.list', {}).then(
      (list) => live && setCases(list),
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <div className="page">
      <div className="page-header">
        <PageHeading description="Hearings you have been given papers for.">Cases</PageHeading>
        {cases && cases.length > 0 ? <Button onClick={() => setSharing(true)}>Share your participant card</Button> : null}
      </div>
      <ErrorMessage>{error}</ErrorMessage>
      {cases === null && !error ? (
        <p className="loading" aria-live="polite">
          Loading cases…
        </p>
      ) : null}
      {cases && cases.length === 0 ? (
        <section className="panel empty-state" aria-labelledby="cases-empty-title">
          <h2 id="cases-empty-title">No cases yet</h2>
          <p>A case reaches you as a sealed bundle file from the hearing clerk. This is how it works:</p>
          <ol className="steps steps-numbered">
            <li>
              <strong>Share your participant card with the clerk.</strong> It tells the clerk how to seal papers so that only you can open them.
            </li>
            <li>
              <strong>Read your fingerprint aloud to the clerk</strong> when they ask, so they know the card is really yours.
            </li>
            <li>
              <strong>The clerk seals the bundle for you</strong> and sends you the file. Nobody else can read it, even if it goes astray.
            </li>
            <li>
              <strong>You open the bundle here.</strong> Opening bundles arrives in the next version of Hearing Desk.
            </li>
          </ol>
          <div className="empty-actions">
            <Button variant="primary" onClick={() => setSharing(true)}>
              Share your participant card
            </Button>
          </div>
        </section>
      ) : null}
      {cases && cases.length > 0 ? (
        <table className="table">
          <caption className="visually-hidden">Your cases</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Title</th>
              <th scope="col">Hearing date</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((item) => (
              <tr key={item.id}>
                <td className="mono">{item.reference}</td>
                <td>{item.title}</td>
                <td>{item.hearingDate ?? 'Not set'}</td>
                <td>{item.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {sharing ? <ShareCardDialog onClose={() => setSharing(false)} /> : null}
    </div>
  );
}
