// Live feedback while a passphrase is typed: a four-step bar (drawn with classes only — the CSP forbids
// inline styles), its label in words, and advice on what to change. The words are the accessible part.
import { MINIMUM_PASSPHRASE_LENGTH, type PassphraseStrength } from '../../../shared/passphrase-strength';

export function StrengthMeter({ id, strength, empty }: { id: string; strength: PassphraseStrength; empty: boolean }) {
  const tone = empty ? 'empty' : !strength.acceptable ? 'weak' : strength.score >= 4 ? 'strong' : 'ok';
  const filled = empty ? 0 : Math.max(1, strength.score);
  return (
    <div className={`strength strength-${tone}`}>
      <div className={`strength-bar strength-fill-${filled}`} aria-hidden="true">
        <span />
        <span />
        <span />
        <span />
      </div>
      <div id={id} className="strength-text" aria-live="polite" aria-atomic="true">
        {empty ? (
          <span className="strength-advice">Use at least {MINIMUM_PASSPHRASE_LENGTH} characters. Four or more unrelated words are easy to remember and hard to guess.</span>
        ) : (
          <>
            <span className="strength-label">Strength: {strength.label}.</span>{' '}
            <span className="strength-advice">{strength.advice}</span>
          </>
        )}
      </div>
    </div>
  );
}
