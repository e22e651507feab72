// The annotation pack's payload (docs/annotations.md, "Packs"): built from the author's shared annotations and
// parsed back with one typed error for every defect. Pure apart from hashing: no database, no keys.
import { createHash } from 'node:crypto';
import { canonicalize } from '../../../shared/canonical-json';
import { AnnotationPack, MAX_PACK_BYTES, type AnnotationContent, type AnnotationVisibility } from '../../../shared/domain/annotation';
import { AnnotationError } from './errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a pack payload. Throws AnnotationError('pack-malformed' | 'pack-too-large') and nothing else. */
export function parsePackPayload(bytes: Uint8Array): AnnotationPack {
  if (bytes.length > MAX_PACK_BYTES) throw new AnnotationError('pack-too-large', `This annotation pack holds more than ${MAX_PACK_BYTES / 1024 / 1024} MB of annotations, more than any case needs.`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new AnnotationError('pack-malformed', 'This annotation pack is not readable text; it was not made by Hearing Desk.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AnnotationError('pack-malformed', 'This annotation pack is not valid JSON; it was not made by Hearing Desk.');
  }
  const parsed = AnnotationPack.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (at ${issue.path.join('.')})` : '';
    throw new AnnotationError('pack-malformed', `This annotation pack is not valid${where}: ${issue?.message ?? 'unknown problem'}.`, { path: issue?.path.map(String) ?? [] });
  }
  return parsed.data;
}

export function serialisePack(pack: AnnotationPack): Uint8Array {
  return Buffer.from(canonicalize(AnnotationPack.parse(pack)), 'utf8');
}

/** One state of an annotation as merging compares it: what it says and who sees it, or that it is deleted. */
export interface Variant {
  deleted: boolean;
  visibility: AnnotationVisibility | null;
  content: AnnotationContent | null;
}

export function liveVariant(visibility: AnnotationVisibility, content: AnnotationContent): Variant {
  return { deleted: false, visibility, content };
}

export const DELETED_VARIANT: Variant = { deleted: true, visibility: null, content: null };

/** SHA-256 of the variant's canonical JSON: equal meaning, equal hash; the smaller hash wins a same-version conflict. */
export function variantHash(variant: Variant): string {
  return createHash('sha256').update(canonicalize(variant), 'utf8').digest('hex');
}

