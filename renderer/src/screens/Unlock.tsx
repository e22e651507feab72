// Unlock: one passphrase field. Says why the profile is locked (just opened, locked by the user, or locked
// after inactivity) and, where the OS keychain holds the passphrase, offers to unlock with it instead.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { KeychainStatus, SessionState } from '../../../shared/contract';
import { call, messageOf } from '../api';
import { AuthFrame } from '../components/AuthFrame';
import { Button, ErrorMessage, Notice, TextField, useAutoFocus } from '../components/ui';
import { useApp } from '../store';

const REASONS: Record<NonNullable<SessionState['lockedReason']>, { title: string; text: string }> = {
  startup: { title: 'Unlock Hearing Desk', text: 'Your profile is locked. Enter your passphrase to open it.' },
  user: { title: 'Hearing Desk is locked', text: 'You locked Hearing Desk. Enter your passphrase to continue.' },
  idle: {
    title: 'Hearing Desk is locked',
    text: 'Hearing Desk locked itself after a period of inactivity, to keep your papers safe. Enter your passphrase to continue.',
  },
};

export function Unlock({ reason }: { reason: SessionState['lockedReason'] }) {
  const setSession = useApp((state) => state.setSession);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'passphrase' | 'keychain' | null>(null);
  const [keychain, setKeychain] = useState<KeychainStatus | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useAutoFocus(inputRef);
  const copy = REASONS[reason ?? 'startup'];

  useEffect(() => {
    let live = true;
    call('keychain.status', {})
      .then((status) => live && setKeychain(status))
      .catch(() => undefined); // the keychain is optional: without it, the passphrase is the way in
    return () => {
      live = false;
    };
  }, []);

  async function unlock(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!passphrase) {
      setError('Enter your passphrase.');
      inputRef.current?.focus();
      return;
    }
    setError(null);
    setBusy('passphrase');
    try {
      const state = await call('vault.unlock', { passphrase });
      setPassphrase('');
      setSession(state);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(null);
      // Keep what was typed, selected, so it can be retyped at once.
      window.setTimeout(() => inputRef.current?.select(), 0);
    }
  }

  async function unlockWithKeychain() {
    if (busy) return;
    setError(null);
    setBusy('keychain');
    try {
      setSession(await call('keychain.unlock', {}));
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(null);
      call('keychain.status', {}).then(setKeychain, () => undefined);
      inputRef.current?.focus();
    }
  }

  return (
    <AuthFrame>
      <div className="lock-icon" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="28" height="28" focusable="false">
          <rect x="5" y="10.5" width="14" height="10" rx="2" />
          <path d="M8 10.5V8a4 4 0 0 1 8 0v2.5" />
        </svg>
      </div>
      <h1 className="auth-title">{copy.title}</h1>
      {reason === 'idle' ? <Notice>{copy.text}</Notice> : <p className="lead">{copy.text}</p>}
      <form className="form" noValidate onSubmit={unlock} aria-label="Unlock">
        <TextField
          label="Passphrase"
          type="password"
          autoComplete="current-password"
          spellCheck={false}
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
          inputRef={inputRef}
          aria-invalid={error ? true : undefined}
        />
        <ErrorMessage>{error}</ErrorMessage>
        <div className="form-actions form-actions-stack">
          <Button type="submit" variant="primary" busy={busy === 'passphrase'} busyLabel="Unlocking…" className="btn-block">
            Unlock
          </Button>
          {keychain?.available && keychain.enabled ? (
            <Button onClick={unlockWithKeychain} busy={busy === 'keychain'} busyLabel="Unlocking…" className="btn-block">
              Unlock with system keychain
            </Button>
          ) : null}
        </div>
      </form>
      <p className="auth-help">
        Forgotten your passphrase? It cannot be recovered. Speak to your clerk: they can set you up again and re-issue your papers.
      </p>
    </AuthFrame>
  );
}
