// The cases this person takes part in, and the way in for a new one: "Open a bundle…" asks main for the
// native file picker and shows what the sealed file says before anything is imported. Until a bundle has
// been opened there are none, so the empty state explains, step by step, how one arrives.
import { useEffect, useRef, useState } from 'react';
import type { BundlePreview, CaseSummary } from '../../../shared/contract';
import { call, messageOf } from '../api';
import { ShareCardDialog } from '../components/ShareCardDialog';
import { Button, ErrorMessage, PageHeading, TableWrap } from '../components/ui';
import { WipeCaseDialog } from '../components/WipeCaseDialog';
import { bodyLabel, formatDay, plural, roleLabel } from '../format';
import { useApp } from '../store';
import { OpenBundleDialog } from './OpenBundle';

/**
 * Asks main to show the picker and read the chosen file's preview; a cancelled picker is not an error. A file
 * dropped on the window (or opened from the file manager) arrives the same way, as an offer from main.
 */
export function useBundleChooser() {
  const [choosing, setChoosing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<BundlePreview | null>(null);
  const offered = useApp((state) => state.offeredBundle);
  const offerBundle = useApp((state) => state.offerBundle);

  useEffect(() => {
    if (!offered) return;
    if (offered.preview) setPreview(offered.preview);
    else if (offered.error?.code === 'not-a-bundle') setError(`“${offered.error.fileName}” is not a hearing bundle. ${offered.error.message}`);
    else if (offered.error) setError(`“${offered.error.fileName}” could not be opened: ${offered.error.message}`);
    offerBundle(null);
  }, [offered, offerBundle]);

  async function choose() {
    if (choosing) return;
    setChoosing(true);
    setError(null);
    try {
      const result = await call('bundles.choose', {});
      if (result) setPreview(result);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setChoosing(false);
    }
  }
  return { choosing, error, preview, choose, close: () => setPreview(null) };
}

export function Cases() {
  const openCase = useApp((state) => state.openCase);
  const showToast = useApp((state) => state.showToast);
  const [cases, setCases] = useState<CaseSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sharing, setSharing] = useState(false);
  const [wiping, setWiping] = useState<CaseSummary | null>(null);
  const chooser = useBundleChooser();
  const openButtonRef = useRef<HTMLButtonElement>(null);
  const [installingDemo, setInstallingDemo] = useState(false);
  const [demoError, setDemoError] = useState<string | null>(null);

  async function installDemo() {
    if (installingDemo) return;
    setInstallingDemo(true);
    setDemoError(null);
    try {
      const { caseId } = await call('demo.install', {});
      showToast('The demo hearing was sealed to you and imported. Everything in it is fictional.');
      openCase(caseId);
    } catch (failure) {
      setDemoError(messageOf(failure));
    } finally {
      setInstallingDemo(false);
    }
  }

  async function refresh() {
    try {
      setCases(await call('cases.list', {}));
      setError(null);
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

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

  const openButton = (variant: 'primary' | 'secondary') => (
    <Button ref={openButtonRef} variant={variant} busy={chooser.choosing} busyLabel="Reading bundle…" onClick={() => void chooser.choose()}>
      Open a bundle…
    </Button>
  );

  return (
    <div className="page page-wide">
      <div className="page-header">
        <PageHeading description="Hearings you have been given papers for.">Cases</PageHeading>
        {cases && cases.length > 0 ? (
          <div className="button-row">
            <Button variant="quiet" onClick={() => setSharing(true)}>
              Share your participant card
            </Button>
            {openButton('primary')}
          </div>
        ) : null}
      </div>
      <ErrorMessage>{error}</ErrorMessage>
      {cases && cases.length > 0 ? <ErrorMessage>{chooser.error}</ErrorMessage> : null}
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
              <strong>The clerk seals the bundle for you</strong> and sends you the file (it ends in <span className="mono">.hdbundle</span>).
              Nobody else can read it, even if it goes astray.
            </li>
            <li>
              <strong>You open the bundle here.</strong> Hearing Desk shows who sealed it and what it holds before anything is stored.
            </li>
          </ol>
          <ErrorMessage>{chooser.error}</ErrorMessage>
          <div className="empty-actions button-row">
            {openButton('primary')}
            <Button onClick={() => setSharing(true)}>Share your participant card</Button>
          </div>
        </section>
      ) : null}
      {cases && cases.length === 0 ? (
        <section className="panel demo-offer" aria-labelledby="demo-title">
          <h2 id="demo-title">New to Hearing Desk? Try the demo hearing</h2>
          <p>
            A wholly fictional case with generated evidence, sealed to you by a fictional demo clerk and checked exactly as a real bundle is.
            You can read it, and wipe it whenever you like.
          </p>
          <ErrorMessage>{demoError}</ErrorMessage>
          <div className="button-row">
            <Button busy={installingDemo} busyLabel="Sealing the demo hearing…" onClick={() => void installDemo()}>
              Open the demo hearing
            </Button>
          </div>
        </section>
      ) : null}
      {cases && cases.length > 0 ? (
        <TableWrap label="Cases">
          <table className="table case-table">
            <caption className="visually-hidden">Your cases</caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Hearing</th>
                <th scope="col">Your role</th>
                <th scope="col">Sealed by</th>
                <th scope="col">Papers</th>
                <th scope="col">Available until</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cases.map((item) => {
                const expired = item.status === 'expired';
                return (
                  <tr key={item.id} className={expired ? 'is-expired' : undefined}>
                    <td>
                      <span className="case-ref mono">{item.reference}</span>
                      <span className="case-title">{item.title}</span>
                      <span className="case-body">{bodyLabel(item.decidingBody)}</span>
                    </td>
                    <td className="nowrap">{formatDay(item.hearingDate, 'Not set', true)}</td>
                    <td>{roleLabel(item.myRole)}</td>
                    <td>{item.sealedBy}</td>
                    <td className="nowrap">
                      {plural(item.documentCount, 'document')}
                      <span className="cell-sub">{plural(item.pageCount, 'page')}</span>
                    </td>
                    <td className="nowrap">
                      {expired ? (
                        <>
                          <span className="badge badge-expired">Expired</span>
                          <span className="cell-sub">on {formatDay(item.expiresOn, '', true)}</span>
                        </>
                      ) : (
                        formatDay(item.expiresOn, '', true)
                      )}
                    </td>
                    <td className="cell-actions">
                      {expired ? (
                        <Button variant="quiet" className="btn-danger-quiet" aria-label={`Wipe case ${item.reference}…`} onClick={() => setWiping(item)}>
                          Wipe…
                        </Button>
                      ) : (
                        <Button aria-label={`Open case ${item.reference}`} onClick={() => openCase(item.id)}>
                          Open
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {sharing ? <ShareCardDialog onClose={() => setSharing(false)} /> : null}
      {chooser.preview ? (
        <OpenBundleDialog
          preview={chooser.preview}
          onClose={() => {
            chooser.close();
            void refresh();
          }}
          onImported={(caseId, reference) => {
            chooser.close();
            showToast(`Case ${reference} was imported into your vault.`);
            openCase(caseId);
          }}
          returnFocus={() => openButtonRef.current}
        />
      ) : null}
      {wiping ? (
        <WipeCaseDialog
          target={{ ...wiping, expired: wiping.status === 'expired' }}
          onClose={() => setWiping(null)}
          onWiped={() => {
            showToast(`Case ${wiping.reference} was wiped from this computer.`, 'info');
            setWiping(null);
            void refresh();
          }}
          fallbackFocus={() => document.querySelector<HTMLElement>('main h1')}
        />
      ) : null}
    </div>
  );
}
