import { AppError } from '../../../shared/errors';

/** Every way building or reading a bundle can fail. Codes are stable: tests and the UI key on them. */
export const BUNDLE_PDF_ERROR_CODES = [
  'invalid-input',
  'not-a-pdf',
  'pdf-encrypted',
  'pdf-malformed',
  'too-many-pages',
  'document-too-large',
  'image-unsupported',
  'image-malformed',
  'image-too-large',
  'email-malformed',
  'email-headers-too-large',
  'bundle-mismatch',
  'aborted',
] as const;
export type BundlePdfErrorCode = (typeof BUNDLE_PDF_ERROR_CODES)[number];

export interface BundlePdfErrorDetails {
  /** The evidence document that caused the failure, when there is one. */
  documentId?: string;
  /** The underlying library message, for logs; never shown as the user-facing message. */
  cause?: string;
  [key: string]: unknown;
}

export class BundlePdfError extends AppError {
  declare readonly code: BundlePdfErrorCode;
  declare readonly details: BundlePdfErrorDetails | undefined;
  readonly documentId: string | undefined;

  constructor(code: BundlePdfErrorCode, message: string, details?: BundlePdfErrorDetails) {
    super(code, message, details);
    this.name = 'BundlePdfError';
    this.documentId = details?.documentId;
  }
}

export function isBundlePdfError(value: unknown, code?: BundlePdfErrorCode): value is BundlePdfError {
  return value instanceof BundlePdfError && (code === undefined || value.code === code);
}

/** Attaches the document being converted to an error raised deep inside a converter, so the clerk knows which file to fix. */
export function withDocument(error: unknown, documentId: string, documentTitle: string): BundlePdfError {
  if (error instanceof BundlePdfError) {
    if (error.documentId !== undefined) return error;
    return new BundlePdfError(error.code, `"${documentTitle}": ${error.message}`, { ...error.details, documentId });
  }
  return new BundlePdfError('pdf-malformed', `"${documentTitle}" could not be added to the bundle: the file is damaged or in a form we cannot read.`, {
    documentId,
    cause: describeCause(error),
  });
}

export function describeCause(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return String(error).slice(0, 500);
}
