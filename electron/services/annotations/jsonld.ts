// W3C Web Annotation JSON-LD (https://www.w3.org/TR/annotation-model/) for a case's annotations, and back again
// without loss (docs/annotations.md, "JSON-LD"). Standard terms carry everything they can (selectors, bodies,
// creator, dates); the rest uses the "hd:" prefix. Pure: no Node, no database.
import { z } from 'zod';
import { AnnotationContent, AnnotationVisibility, type Annotation } from '../../../shared/domain/annotation';
import { AnnotationError } from './errors';

export const WEB_ANNOTATION_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
export const HD_VOCABULARY = 'urn:x-hearing-desk:vocab#';
const PDF_FRAGMENT = 'http://tools.ietf.org/rfc/rfc3778';
const KEY_IRI = 'urn:x-hearing-desk:signing-key:';

type Json = Record<string, unknown>;

export interface JsonLdAnnotationInput {
  annotation: Pick<Annotation, 'id' | 'visibility' | 'version' | 'createdAt' | 'modifiedAt'> & { content: AnnotationContent };
  creator: { signingKey: string; name: string };
}

const allegationIri = (bundleId: string, number: number) => `urn:x-hearing-desk:bundle:${bundleId}:allegation:${number}`;

function pageFragment(page: number, refinedBy?: Json): Json {
  return { type: 'FragmentSelector', conformsTo: PDF_FRAGMENT, value: `page=${page}`, ...(refinedBy ? { refinedBy } : {}) };
}

function svgRect(rect: { x: number; y: number; width: number; height: number }): string {
  return `<svg xmlns="http://www.w3.org/2000/svg"><rect x="${rect.x}" y="${rect.y}" width="${rect.width}" height="${rect.height}"/></svg>`;
}

function selectorOf(content: AnnotationContent): Json | Json[] {
  switch (content.kind) {
    case 'highlight': {
      const quote: Json = { type: 'TextQuoteSelector', exact: content.quote.exact, prefix: content.quote.prefix, suffix: content.quote.suffix };
      const { start, end } = content;
      if (start.page === end.page) return [quote, pageFragment(start.page, { type: 'TextPositionSelector', start: start.offset, end: end.offset })];
      return [
        quote,
        {
          type: 'RangeSelector',
          startSelector: pageFragment(start.page, { type: 'TextPositionSelector', start: start.offset, end: start.offset }),
          endSelector: pageFragment(end.page, { type: 'TextPositionSelector', start: end.offset, end: end.offset }),
        },
      ];
    }
    case 'area':
      return pageFragment(content.page, { type: 'SvgSelector', value: svgRect(content.rect) });
    case 'page-note':
      return pageFragment(content.page);
  }
}

export function toWebAnnotation(bundleId: string, input: JsonLdAnnotationInput): Json {
  const { annotation, creator } = input;
  const content = annotation.content;
  const body: Json[] = [];
  if (content.note !== null) body.push({ type: 'TextualBody', purpose: 'commenting', format: 'text/plain', value: content.note });
  for (const tag of content.tags) body.push({ type: 'TextualBody', purpose: 'tagging', value: tag });
  for (const number of content.allegations) body.push({ type: 'SpecificResource', purpose: 'linking', source: allegationIri(bundleId, number) });
  return {
    id: `urn:uuid:${annotation.id}`,
    type: 'Annotation',
    motivation: content.kind === 'page-note' ? 'commenting' : 'highlighting',
    created: annotation.createdAt,
    modified: annotation.modifiedAt,
    creator: { id: `${KEY_IRI}${creator.signingKey}`, type: 'Person', name: creator.name },
    'hd:visibility': annotation.visibility,
    'hd:version': annotation.version,
    ...(body.length ? { body } : {}),
    target: {
      type: 'SpecificResource',
      source: `urn:sha256:${content.documentSha256}`,
      'hd:documentId': content.documentId,
      'hd:kind': content.kind,
      selector: selectorOf(content),
    },
  };
}

export function toCollection(bundleId: string, caseReference: string, items: Json[]): Json {
  const id = `urn:x-hearing-desk:bundle:${bundleId}:annotations`;
  return {
    '@context': [WEB_ANNOTATION_CONTEXT, { hd: HD_VOCABULARY }],
    id,
    type: 'AnnotationCollection',
    label: `Annotations on case ${caseReference}`,
    'hd:bundleId': bundleId,
    'hd:caseReference': caseReference,
    total: items.length,
    first: { id: `${id}:page-1`, type: 'AnnotationPage', startIndex: 0, items },
  };
}

// --- parsing back ---------------------------------------------------------------------------------------------

const PageFragment = z.strictObject({
  type: z.literal('FragmentSelector'),
  conformsTo: z.literal(PDF_FRAGMENT),
  value: z.string().regex(/^page=[1-9][0-9]{0,4}$/),
  refinedBy: z.unknown().optional(),
});
const TextPosition = z.strictObject({ type: z.literal('TextPositionSelector'), start: z.int().min(0), end: z.int().min(0) });
const TextQuoteSelector = z.strictObject({ type: z.literal('TextQuoteSelector'), exact: z.string(), prefix: z.string(), suffix: z.string() });
const SvgSelector = z.strictObject({ type: z.literal('SvgSelector'), value: z.string().max(400) });
const Body = z.discriminatedUnion('purpose', [
  z.strictObject({ type: z.literal('TextualBody'), purpose: z.literal('commenting'), format: z.literal('text/plain'), value: z.string() }),
  z.strictObject({ type: z.literal('TextualBody'), purpose: z.literal('tagging'), value: z.string() }),
  z.strictObject({ type: z.literal('SpecificResource'), purpose: z.literal('linking'), source: z.string() }),
]);
const Item = z.strictObject({
  id: z.string().regex(/^urn:uuid:[0-9a-f-]{36}$/),
  type: z.literal('Annotation'),
  motivation: z.enum(['highlighting', 'commenting']),
  created: z.iso.datetime({ offset: true }),
  modified: z.iso.datetime({ offset: true }),
  creator: z.strictObject({ id: z.string().startsWith(KEY_IRI), type: z.literal('Person'), name: z.string() }),
  'hd:visibility': AnnotationVisibility,
  'hd:version': z.int().min(1).max(2 ** 31 - 1),
  body: z.array(Body).min(1).max(200).optional(),
  target: z.strictObject({
    type: z.literal('SpecificResource'),
    source: z.string().regex(/^urn:sha256:[0-9a-f]{64}$/),
    'hd:documentId': z.string(),
    'hd:kind': z.enum(['highlight', 'area', 'page-note']),
    selector: z.unknown(),
  }),
});
export const MAX_JSONLD_ITEMS = 20_000;
const Collection = z.strictObject({
  '@context': z.tuple([z.literal(WEB_ANNOTATION_CONTEXT), z.strictObject({ hd: z.literal(HD_VOCABULARY) })]),
  id: z.string(),
  type: z.literal('AnnotationCollection'),
  label: z.string(),
  'hd:bundleId': z.uuid(),
  'hd:caseReference': z.string(),
  total: z.int().min(0),
  first: z.strictObject({ id: z.string(), type: z.literal('AnnotationPage'), startIndex: z.literal(0), items: z.array(z.unknown()).max(MAX_JSONLD_ITEMS) }),
});

export interface ParsedJsonLdAnnotation {
  id: string;
  creatorKey: string;
  visibility: AnnotationVisibility;
  version: number;
  createdAt: string;
  modifiedAt: string;
  content: AnnotationContent;
}

function malformed(message: string, index?: number): AnnotationError {
  const where = index === undefined ? '' : ` (annotation ${index + 1})`;
  return new AnnotationError('jsonld-malformed', `This annotations file is not one Hearing Desk can import${where}: ${message}.`, { index: index ?? null });
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'unknown problem'}`;
}

function pageOf(selector: unknown, index: number): { page: number; refinedBy: unknown } {
  const parsed = PageFragment.safeParse(selector);
  if (!parsed.success) throw malformed(`a page selector is not valid (${issueText(parsed.error)})`, index);
  return { page: Number(parsed.data.value.slice('page='.length)), refinedBy: parsed.data.refinedBy };
}

function position(selector: unknown, index: number): { start: number; end: number } {
  const parsed = TextPosition.safeParse(selector);
  if (!parsed.success) throw malformed(`a TextPositionSelector is not valid (${issueText(parsed.error)})`, index);
  return parsed.data;
}

const SVG_RECT = /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"><rect x="([^"]{1,40})" y="([^"]{1,40})" width="([^"]{1,40})" height="([^"]{1,40})"\/><\/svg>$/;

function contentOf(item: z.infer<typeof Item>, bundleId: string, index: number): AnnotationContent {
  const bodies = item.body ?? [];
  const notes = bodies.filter((b) => b.purpose === 'commenting');
  if (notes.length > 1) throw malformed('it has more than one note', index);
  const allegationPrefix = `urn:x-hearing-desk:bundle:${bundleId}:allegation:`;
  const allegations = bodies
    .filter((b) => b.purpose === 'linking')
    .map((b) => {
      const source = (b as { source: string }).source;
      if (!source.startsWith(allegationPrefix) || !/^[1-9][0-9]{0,4}$/.test(source.slice(allegationPrefix.length))) throw malformed('it links to something other than an allegation of this case', index);
      return Number(source.slice(allegationPrefix.length));
    });
  const common = {
    documentId: item.target['hd:documentId'],
    documentSha256: item.target.source.slice('urn:sha256:'.length),
    note: notes.length ? (notes[0] as { value: string }).value : null,
    tags: bodies.filter((b) => b.purpose === 'tagging').map((b) => (b as { value: string }).value),
    allegations,
  };
  const selector = item.target.selector;
  let candidate: unknown;
  switch (item.target['hd:kind']) {
    case 'highlight': {
      if (!Array.isArray(selector) || selector.length !== 2) throw malformed('a highlight needs a quote and a position selector', index);
      const quote = TextQuoteSelector.safeParse(selector[0]);
      if (!quote.success) throw malformed(`its TextQuoteSelector is not valid (${issueText(quote.error)})`, index);
      const where = selector[1] as { type?: unknown };
      let start: { page: number; offset: number };
      let end: { page: number; offset: number };
      if (where && typeof where === 'object' && where.type === 'RangeSelector') {
        const range = z.strictObject({ type: z.literal('RangeSelector'), startSelector: z.unknown(), endSelector: z.unknown() }).safeParse(where);
        if (!range.success) throw malformed('its RangeSelector is not valid', index);
        const from = pageOf(range.data.startSelector, index);
        const to = pageOf(range.data.endSelector, index);
        const fromPosition = position(from.refinedBy, index);
        const toPosition = position(to.refinedBy, index);
        if (fromPosition.start !== fromPosition.end || toPosition.start !== toPosition.end) throw malformed('a range end point must be a single position', index);
        if (from.page === to.page) throw malformed('a highlight within one page is written without a RangeSelector', index);
        start = { page: from.page, offset: fromPosition.start };
        end = { page: to.page, offset: toPosition.start };
      } else {
        const page = pageOf(where, index);
        const at = position(page.refinedBy, index);
        start = { page: page.page, offset: at.start };
        end = { page: page.page, offset: at.end };
      }
      const { type: _type, ...text } = quote.data;
      candidate = { kind: 'highlight', ...common, start, end, quote: text };
      break;
    }
    case 'area': {
      const page = pageOf(selector, index);
      const svg = SvgSelector.safeParse(page.refinedBy);
      const match = svg.success ? SVG_RECT.exec(svg.data.value) : null;
      if (!match) throw malformed('an area needs an SvgSelector holding one rectangle', index);
      const [x, y, width, height] = match.slice(1).map((n) => (/^-?(?:\d+\.?\d*(?:e[+-]?\d+)?)$/i.test(n!) ? Number(n) : Number.NaN));
      candidate = { kind: 'area', ...common, page: page.page, rect: { x, y, width, height } };
      break;
    }
    case 'page-note': {
      const page = pageOf(selector, index);
      if (page.refinedBy !== undefined) throw malformed('a page note points at a whole page', index);
      candidate = { kind: 'page-note', ...common, page: page.page };
      break;
    }
  }
  const expectedMotivation = item.target['hd:kind'] === 'page-note' ? 'commenting' : 'highlighting';
  if (item.motivation !== expectedMotivation) throw malformed(`its motivation should be "${expectedMotivation}"`, index);
  const content = AnnotationContent.safeParse(candidate);
  if (!content.success) throw malformed(issueText(content.error), index);
  return content.data;
}

/** Parses a collection written by toCollection. Throws AnnotationError('jsonld-malformed') naming the first defect, or 'jsonld-wrong-case'. */
export function parseCollection(json: unknown, forCase?: { bundleId: string; reference: string }): { bundleId: string; caseReference: string; items: ParsedJsonLdAnnotation[] } {
  const collection = Collection.safeParse(json);
  if (!collection.success) throw malformed(issueText(collection.error));
  const { first } = collection.data;
  const bundleId = collection.data['hd:bundleId'];
  if (forCase && bundleId !== forCase.bundleId) {
    throw new AnnotationError('jsonld-wrong-case', `This annotations file is for case ${collection.data['hd:caseReference'].slice(0, 40)}, not ${forCase.reference}. Nothing was imported.`);
  }
  if (collection.data.total !== first.items.length) throw malformed('its total does not match the number of annotations');
  const seen = new Set<string>();
  const items = first.items.map((raw, index): ParsedJsonLdAnnotation => {
    const item = Item.safeParse(raw);
    if (!item.success) throw malformed(issueText(item.error), index);
    const id = item.data.id.slice('urn:uuid:'.length);
    if (!z.uuid().safeParse(id).success) throw malformed('its id is not a UUID', index);
    if (seen.has(id)) throw malformed('an annotation appears twice', index);
    seen.add(id);
    return {
      id,
      creatorKey: item.data.creator.id.slice(KEY_IRI.length),
      visibility: item.data['hd:visibility'],
      version: item.data['hd:version'],
      createdAt: item.data.created,
      modifiedAt: item.data.modified,
      content: contentOf(item.data, bundleId, index),
    };
  });
  return { bundleId, caseReference: collection.data['hd:caseReference'], items };
}
