// Every way an annotation operation, pack or JSON-LD import can be refused, each with its own code.
import { AppError } from '../../../shared/errors';

export type AnnotationErrorCode =
  | 'annotation-not-found'
  | 'annotation-not-yours'
  | 'annotation-invalid'
  | 'annotation-deleted'
  | 'annotation-stale'
  | 'version-not-found'
  | 'visibility-not-allowed'
  | 'advice-only-by-lawyer'
  | 'not-a-participant'
  | 'pack-malformed'
  | 'pack-too-large'
  | 'pack-wrong-case'
  | 'pack-not-participant'
  | 'pack-foreign-annotation'
  | 'pack-advice-not-lawyer'
  | 'pack-no-recipients'
  | 'jsonld-malformed'
  | 'jsonld-wrong-case'
  | 'jsonld-unknown-author'
  | 'jsonld-foreign-annotation'
  | 'jsonld-advice-not-lawyer';

export class AnnotationError extends AppError {
  declare readonly code: AnnotationErrorCode;
  constructor(code: AnnotationErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'AppError';
  }
}
