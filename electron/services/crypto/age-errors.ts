// Every way an age operation can fail, as a stable code (for code and tests) and a plain message (for people).
import { AppError } from '../../../shared/errors';

export const AGE_ERROR_CODES = [
  'not-age-file',
  'unsupported-version',
  'truncated',
  'header-malformed',
  'header-mac-mismatch',
  'no-identity-matched',
  'wrong-passphrase',
  'scrypt-not-alone',
  'scrypt-too-expensive',
  'chunk-authentication-failed',
  'payload-malformed',
  'trailing-data',
  'invalid-recipient',
  'invalid-identity',
  'invalid-passphrase',
  'no-recipients',
] as const;
export type AgeErrorCode = (typeof AGE_ERROR_CODES)[number];

export class AgeError extends AppError {
  declare readonly code: AgeErrorCode;
  constructor(code: AgeErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'AgeError';
  }
}

export function isAgeError(value: unknown): value is AgeError {
  return value instanceof AgeError;
}

/** Shared wording for "the header is not what the format allows", with the specific reason appended. */
export function headerMalformed(reason: string): AgeError {
  return new AgeError('header-malformed', `The file's encryption header is damaged or malformed (${reason}).`, { reason });
}

export function truncated(where: string): AgeError {
  return new AgeError(
    'truncated',
    `The file is incomplete: it ends ${where}. It may have been cut short while being copied or downloaded.`,
    { where },
  );
}
