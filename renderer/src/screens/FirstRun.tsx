// First run: the user names themselves, picks their role and chooses the passphrase that protects the
// profile. Nothing leaves this computer; the passphrase cannot be recovered, and the screen says so plainly.
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { PARTICIPANT_ROLES, ROLE_LABELS, type ParticipantRole } from '../../../shared/domain/profile';
import { assessPassphrase } from '../../../shared/passphrase-strength';
import { call, messageOf } from '../api';
import { AuthFrame } from '../components/AuthFrame';
import { StrengthMeter } from '../components/StrengthMeter';
import { Button, ErrorMessage, TextField, useAutoFocus } from '../components/ui';
import { useApp } from '../store';

type FieldErrors = Partial<Record<'name' | 'role' | 'passphrase' | 'confirm', string>>;

export function FirstRun() {
  const setSession = useApp((state) => state.setSession);
  const [name, setName] = useState('');
  const [role, setRole] = useState<ParticipantRole | ''>('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const roleRef = useRef<HTMLSelectElement>(null);
  const passRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const meterId = useId();
  const roleId = useId();
  const strength = useMemo(() => assessPassphrase(passphrase), [passphrase]);
  useAutoFocus(nameRef);

  function validate(): FieldErrors {
    const found: FieldErrors = {};
    if (!name.trim()) found.name = 'Enter your name as the panel knows you.';
    else if (name.trim().length > 120) found.name = 'Names are limited to 120 characters.';
    if (!role) found.role = 'Choose your role in hearings.';
    if (!passphrase) found.passphrase = 'Choose a passphrase.';
    else if (!strength.acceptable) found.passphrase = `That passphrase is too weak. ${strength.advice}`;
    if (passphrase && confirm !== passphrase) found.confirm = 'The two passphrases do not match. Type the same passphrase twice.';
    return found;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setFormError(null);
    const found = validate();
    setErrors(found);
    const firstInvalid = found.name ? nameRef : found.role ? roleRef : found.passphrase ? passRef : found.confirm ? confirmRef : null;
    if (firstInvalid || !role) {
      firstInvalid?.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const state = await call('profile.create', { name: name.trim(), role, passphrase });
      setPassphrase('');
      setConfirm('');
      setSession(state);
    } catch (error) {
      setFormError(messageOf(error));
      setBusy(false);
    }
  }

  return (
    <AuthFrame wide>
      <h1 className="auth-title">Set up Hearing Desk</h1>
      <p className="lead">
        Your profile holds your name, your role and the keys that let the clerk seal hearing papers for you alone and let others check
        what you sign. Everything is stored encrypted on this computer and nothing is sent anywhere. Your passphrase unlocks it and{' '}
        <strong>cannot be recovered</strong>: if it is forgotten, nobody — including the clerk — can open this profile again.
      </p>
      <form className="form" noValidate onSubmit={submit} aria-label="Create your profile">
        <TextField
          label="Your name"
          hint="As the clerk and the panel know you, for example “Alex Morgan”."
          autoComplete="name"
          value={name}
          maxLength={120}
          onChange={(event) => setName(event.target.value)}
          inputRef={nameRef}
          error={errors.name}
        />
        <div className={errors.role ? 'field has-error' : 'field'}>
          <label htmlFor={roleId} className="field-label">
            Your role
          </label>
          <p id={`${roleId}-hint`} className="field-hint">
            The part you play in hearings. It is shown on the card you share.
          </p>
          <select
            id={roleId}
            ref={roleRef}
            className="input select"
            value={role}
            aria-invalid={errors.role ? true : undefined}
            aria-describedby={[`${roleId}-hint`, errors.role ? `${roleId}-error` : ''].filter(Boolean).join(' ')}
            onChange={(event) => setRole(event.target.value as ParticipantRole | '')}
          >
            <option value="" disabled>
              Choose your role…
            </option>
            {PARTICIPANT_ROLES.map((value) => (
              <option key={value} value={value}>
                {ROLE_LABELS[value]}
              </option>
            ))}
          </select>
          {errors.role ? (
            <p id={`${roleId}-error`} className="field-error" role="alert">
              <span className="field-error-icon" aria-hidden="true">!</span>
              {errors.role}
            </p>
          ) : null}
        </div>
        <TextField
          label="Passphrase"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
          inputRef={passRef}
          error={errors.passphrase}
          describedBy={meterId}
          after={<StrengthMeter id={meterId} strength={strength} empty={passphrase.length === 0} />}
        />
        <TextField
          label="Confirm passphrase"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={confirm}
          onChange={(event) => setConfirm(event.target.value)}
          inputRef={confirmRef}
          error={errors.confirm}
        />
        <ErrorMessage>{formError}</ErrorMessage>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy} busyLabel="Creating profile…">
            Create profile
          </Button>
        </div>
      </form>
    </AuthFrame>
  );
}
