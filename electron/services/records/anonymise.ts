// The anonymisation check before publication (action plan 2.7: "taking account of legal requirements to publish
// anonymised information"): no participant's name (or a distinctive part of it), id or fingerprint, no respondent or
// complainant pseudonym, and no case reference from the record may appear in text that is published. Matching ignores
// case and accents and respects word boundaries, so "Ossington" is caught in "OSSINGTON's" but "Ann" is not in "annual".
import type { OutcomeRecord } from '../../../shared/domain/record';
import { RecordError } from './record';

export type IdentifyingKind = 'participant-name' | 'participant-name-part' | 'participant-id' | 'fingerprint' | 'respondent' | 'complainant' | 'case-reference';

export interface IdentifyingText {
  kind: IdentifyingKind;
  /** What was found (as the record spells it). */
  term: string;
  /** The offending text with some context, from the (accent-folded) text checked. */
  excerpt: string;
}

/** Short words that are parts of names but identify nobody on their own. */
const NAME_PARTICLES = new Set(['van', 'von', 'der', 'den', 'del', 'della', 'des', 'les', 'the', 'and', 'bin', 'ben', 'mac', 'dos', 'das', 'ter']);
const MIN_NAME_PART = 3;

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

interface Term {
  kind: IdentifyingKind;
  term: string;
  folded: string;
}

function termsOf(record: OutcomeRecord): Term[] {
  const terms: Term[] = [];
  const seen = new Set<string>();
  const add = (kind: IdentifyingKind, term: string) => {
    const folded = fold(term.trim());
    if (folded.length === 0 || seen.has(folded)) return;
    seen.add(folded);
    terms.push({ kind, term, folded });
  };
  for (const participant of record.participants) {
    add('participant-name', participant.name);
    for (const part of participant.name.split(/[\s\-'’.,]+/u)) {
      if (part.length >= MIN_NAME_PART && !NAME_PARTICLES.has(fold(part))) add('participant-name-part', part);
    }
    if (participant.id.length >= MIN_NAME_PART) add('participant-id', participant.id);
    add('fingerprint', participant.fingerprint);
  }
  add('respondent', record.respondent.pseudonym);
  add('complainant', record.complainant.pseudonym);
  add('case-reference', record.caseReference);
  return terms;
}

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** The first place `term` occurs in `text` as a whole word (not inside a longer word), or -1. */
function wordIndex(text: string, term: string): number {
  for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + 1)) {
    const before = at > 0 ? String.fromCodePoint(text.codePointAt(at - 1)!) : '';
    const after = text.slice(at + term.length, at + term.length + 2);
    const startsWord = !WORD_CHARACTER.test(term[0]!) || before === '' || !WORD_CHARACTER.test(before.slice(-1));
    const endsWord = !WORD_CHARACTER.test(term[term.length - 1]!) || after === '' || !WORD_CHARACTER.test(String.fromCodePoint(after.codePointAt(0)!));
    if (startsWord && endsWord) return at;
  }
  return -1;
}

/** Everything in `text` that identifies someone or something in the record; empty when the text is anonymous. */
export function findIdentifyingText(record: OutcomeRecord, text: string): IdentifyingText[] {
  const folded = fold(text);
  const found: IdentifyingText[] = [];
  for (const term of termsOf(record)) {
    const index = wordIndex(folded, term.folded);
    if (index === -1) continue;
    const start = Math.max(0, index - 30);
    const end = Math.min(folded.length, index + term.folded.length + 30);
    found.push({ kind: term.kind, term: term.term, excerpt: `${start > 0 ? '…' : ''}${folded.slice(start, end)}${end < folded.length ? '…' : ''}` });
  }
  return found;
}

const KIND_WORDS: Record<IdentifyingKind, string> = {
  'participant-name': 'the name of a participant',
  'participant-name-part': 'part of a participant’s name',
  'participant-id': 'a participant’s id',
  fingerprint: 'a participant’s fingerprint',
  respondent: 'the respondent’s pseudonym',
  complainant: 'the complainant’s pseudonym',
  'case-reference': 'the case reference',
};

/** Refuses ('summary-not-anonymous') text that identifies anyone in the record, quoting the offending text. */
export function requireAnonymised(record: OutcomeRecord, text: string, what = 'The publication summary'): void {
  const found = findIdentifyingText(record, text);
  if (found.length === 0) return;
  const first = found[0]!;
  throw new RecordError(
    'summary-not-anonymous',
    `${what} is not anonymous: it contains ${KIND_WORDS[first.kind]} ("${first.term}") in "${first.excerpt}"${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}. Reword it before it is published.`,
    { found },
  );
}
