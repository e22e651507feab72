// "Signing asks for the passphrase again": the statement the signature makes, the record's id, and the passphrase.
// A wrong passphrase is reported on the field and nothing is signed; any other refusal is shown in the dialog.
import { useRef, useState, type FormEvent } from 'react';
import { codeOf, messageOf } from '../../api';
import { Dialog } from '../Dialog';
import { Button, ErrorMessage, TextField } from '../ui';

export function SignDialog({
  title,
  statement,
  recordId,
  confirmLabel,
  onSign,
  onClose,
}: {
  title: string;
  statement: string | null;
  recordId: string;
  confirmLabel: string;
  /** Signs with the passphrase; throws (a UiError) to refuse. */
  onSign: (passphrase: string) => Promise<void>;
  onClose: () => void;
}) {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!passphrase) {
      setFieldError('Enter your passphrase to sign.');
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setFieldError(null);
    setError(null);
    try {
      await onSign(passphrase);
    } catch (failure) {
      setBusy(false);
      if (codeOf(failure) === 'wrong-passphrase') {
        setFieldError('That passphrase is not right. Nothing was signed.');
        setPassphrase('');
        inputRef.current?.focus();
      } else {
        setError(messageOf(failure));
      }
    }
  }

  return (
    <Dialog title={title} onClose={onClose} initialFocus={inputRef}>
      <form className="form sign-form" onSubmit={(event) => void submit(event)} noValidate>
        {statement ? (
          <blockquote className="sign-statement">
            <p className="sign-statement-label">Your signature states</p>
            <p>{statement}</p>
          </blockquote>
        ) : null}
        <p className="sign-covers">
          It covers exactly the record shown, whose SHA-256 is <span className="mono hash">{recordId}</span>. Any later change to it would void the signature.
        </p>
        <TextField
          label="Your passphrase"
          hint="Signing uses your key, so it asks for your passphrase again."
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
          error={fieldError}
          inputRef={inputRef}
        />
        <ErrorMessage>{error}</ErrorMessage>
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} busyLabel="Signing…">
            {confirmLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
