import { describe, expect, it } from 'vitest';
import { assessPassphrase, MINIMUM_PASSPHRASE_LENGTH } from '../../shared/passphrase-strength';

describe('passphrase strength', () => {
  it.each(['', 'password', 'password123456', 'aaaaaaaaaaaaaaaa', '123456789012', 'qwertyqwerty'])('refuses %j', (p) => {
    expect(assessPassphrase(p).acceptable).toBe(false);
  });
  it.each(['orchard lantern copper meadow', 'river stone candle window', 'Tq7#vL9!mZ2$pW4x'])('accepts %j', (p) => {
    const result = assessPassphrase(p);
    expect(result.acceptable).toBe(true);
    expect(result.score).toBeGreaterThanOrEqual(2);
  });
  it('explains what to change', () => {
    expect(assessPassphrase('short').advice).toContain(String(MINIMUM_PASSPHRASE_LENGTH));
    expect(assessPassphrase('orchard lantern copper meadow tulip').label).toMatch(/Good|Strong/);
  });
  it('scores grow with length of unrelated words', () => {
    const scores = ['orchard', 'orchard lantern', 'orchard lantern copper', 'orchard lantern copper meadow river'].map((p) => assessPassphrase(p).bits);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });
});
