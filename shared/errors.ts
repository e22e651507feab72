// Errors that cross the contract. Every failure a user can meet has a stable code (for tests and the UI)
// and a plain-language message (for people). Stack traces never cross.
export const ERROR_CODES = [
  'invalid-input',
  'invalid-output',
  'unknown-call',
  'no-profile',
  'profile-exists',
  'vault-locked',
  'wrong-passphrase',
  'weak-passphrase',
  'vault-corrupt',
  'vault-unavailable',
  'invalid-card',
  'card-self',
  'contact-not-found',
  'keychain-unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number] | (string & {});

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError || (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'AppError');
}
