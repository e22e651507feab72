// The hearing-bundle PDF assembler's public surface.
export { assembleBundle, appendSupplementary } from './assemble';
export { extractPageTexts } from './page-text';
export { BundlePdfError, isBundlePdfError, BUNDLE_PDF_ERROR_CODES, type BundlePdfErrorCode } from './errors';
export * from './types';
