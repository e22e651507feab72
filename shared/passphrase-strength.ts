// A deliberately simple, explainable strength estimate. It rewards length and variety, penalises
// repetition and common patterns, and tells the user what to change. Pure: used by the screen for
// live feedback and by the vault service to refuse passphrases that are too weak.

export interface PassphraseStrength {
  /** 0 = very weak … 4 = strong */
  score: 0 | 1 | 2 | 3 | 4;
  label: 'Very weak' | 'Weak' | 'Fair' | 'Good' | 'Strong';
  /** Rough guessing entropy in bits. */
  bits: number;
  advice: string;
  acceptable: boolean;
}

const COMMON = ['password', 'passw0rd', 'qwerty', 'letmein', 'welcome', 'admin', 'hearing', 'panel', 'labour', '123456', 'iloveyou', 'secret'];
export const MINIMUM_PASSPHRASE_LENGTH = 12;

export function assessPassphrase(passphrase: string): PassphraseStrength {
  const chars = [...passphrase];
  let pool = 0;
  if (/[a-z]/.test(passphrase)) pool += 26;
  if (/[A-Z]/.test(passphrase)) pool += 26;
  if (/[0-9]/.test(passphrase)) pool += 10;
  if (/[^A-Za-z0-9]/.test(passphrase)) pool += 33;
  const distinct = new Set(chars).size;
  // Repeated characters add little: count the distinct-character share of the length.
  const effectiveLength = Math.min(chars.length, distinct * 2.5);
  let bits = pool > 0 ? effectiveLength * Math.log2(pool) : 0;
  const lower = passphrase.toLowerCase();
  if (COMMON.some((word) => lower.includes(word))) bits -= 20;
  if (/(.)\1{2,}/.test(passphrase)) bits -= 10;
  if (/(0123|1234|2345|3456|4567|5678|6789|abcd|bcde|cdef)/i.test(passphrase)) bits -= 10;
  // Several words separated by spaces or dashes are the easiest strong passphrases to remember.
  const words = passphrase.split(/[\s\-_.]+/).filter((w) => w.length >= 3).length;
  if (words >= 4) bits += 10;
  bits = Math.max(0, Math.round(bits));

  const score = (bits < 28 ? 0 : bits < 45 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4) as PassphraseStrength['score'];
  const labels = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'] as const;
  const tooShort = chars.length < MINIMUM_PASSPHRASE_LENGTH;
  let advice: string;
  if (tooShort) advice = `Use at least ${MINIMUM_PASSPHRASE_LENGTH} characters — four or more unrelated words work well.`;
  else if (score < 2) advice = 'Add more unrelated words, or mix in numbers and symbols. Avoid common words and sequences.';
  else if (score < 4) advice = 'Acceptable. Another word or two would make it stronger.';
  else advice = 'Strong passphrase.';
  return { score, label: labels[score], bits, advice, acceptable: !tooShort && score >= 2 };
}
