// Sharing one's participant card: what it is (public, nothing secret), how to hand it over, and the
// fingerprint to read aloud so the recipient can check it really is yours.
import { useRef, useState } from 'react';
import { call, messageOf } from '../api';
import { useApp, useProfile } from '../store';
import { Dialog } from './Dialog';
import { Fingerprint } from './Fingerprint';
import { Button, ErrorMessage, SuccessMessage } from './ui';

/** Saves the user's card through main's save dialog; a cancelled dialog is not an error. */
export function useExportCard() {
  const showToast = useApp((state) => state.showToast);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [savedTo, setSavedTo] = useState<string | null>(null);

  async function exportCard() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await call('identity.exportCard', {});
      if (result.savedTo) {
        setSavedTo(result.savedTo);
        showToast('Your participant card was saved.');
      }
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, savedTo, exportCard };
}

export function ExportResult({ error, savedTo }: { error: string | null; savedTo: string | null }) {
  return (
    <>
      <ErrorMessage>{error}</ErrorMessage>
      {savedTo ? (
        <SuccessMessage>
          Saved to <span className="path">{savedTo}</span>. Give this file to the clerk.
        </SuccessMessage>
      ) : null}
    </>
  );
}

export function ShareCardDialog({ onClose }: { onClose: () => void }) {
  const profile = useProfile();
  const { busy, error, savedTo, exportCard } = useExportCard();
  const exportRef = useRef<HTMLButtonElement>(null);

  if (!profile) return null;
  return (
    <Dialog title="Share your participant card" onClose={onClose} initialFocus={exportRef}>
      <p>
        Your participant card lets the clerk seal hearing papers that only you can open, and lets others check what you sign. It holds
        your name, your role and your public keys — never your passphrase or anything secret — so it is safe to send by email or hand
        over on a memory stick.
      </p>
      <ol className="steps steps-numbered steps-compact">
        <li>Save your card to a file and give it to the clerk.</li>
        <li>When the clerk asks, read this fingerprint aloud to them, so they can check the card is really yours.</li>
      </ol>
      <div className="fingerprint-box">
        <span className="fingerprint-caption">Your fingerprint</span>
        <Fingerprint value={profile.fingerprint} size="large" />
      </div>
      <ExportResult error={error} savedTo={savedTo} />
      <div className="dialog-actions">
        <Button onClick={onClose}>Close</Button>
        <Button ref={exportRef} variant="primary" onClick={() => void exportCard()} busy={busy} busyLabel="Saving…">
          Export my card…
        </Button>
      </div>
    </Dialog>
  );
}
