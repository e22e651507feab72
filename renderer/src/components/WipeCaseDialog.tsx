// Wiping a case: says exactly what is destroyed and what remains (only a record that it was wiped), and asks
// once more before doing it. Used from the case list (expired cases) and from the case view.
import { useRef, useState } from 'react';
import { call, messageOf } from '../api';
import { plural } from '../format';
import { Dialog } from './Dialog';
import { Button, ErrorMessage } from './ui';

export interface WipeTarget {
  id: string;
  reference: string;
  title: string;
  documentCount: number;
  pageCount: number;
  expired: boolean;
}

export function WipeCaseDialog({
  target,
  onClose,
  onWiped,
  fallbackFocus,
}: {
  target: WipeTarget;
  onClose: () => void;
  onWiped: () => void;
  fallbackFocus?: () => HTMLElement | null;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  async function wipe() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await call('cases.wipe', { id: target.id });
      onWiped();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Wipe case ${target.reference}?`} onClose={onClose} initialFocus={cancelRef} fallbackFocus={fallbackFocus}>
      {target.expired ? <p>This bundle has expired, so it can no longer be opened. Wiping removes it from this computer.</p> : null}
      <p>Wiping permanently destroys, from the encrypted vault on this computer:</p>
      <ul className="plain-list wipe-list">
        <li>the bundle for “{target.title}”: {plural(target.documentCount, 'document')}, {plural(target.pageCount, 'page')};</li>
        <li>the case details, allegations and participants it carried.</li>
      </ul>
      <p>
        Only a record that case {target.reference} was wiped, and when, is kept for the audit trail. This cannot be undone: to read the papers
        again you would need the clerk to send the bundle file again.
      </p>
      <ErrorMessage>{error}</ErrorMessage>
      <div className="dialog-actions">
        <Button ref={cancelRef} onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" busy={busy} busyLabel="Wiping…" onClick={() => void wipe()}>
          Wipe case
        </Button>
      </div>
    </Dialog>
  );
}
