// Where each part of the decision draft lives on screen: one element id per field path, so a finding's
// `fields` (checker paths such as "allegations.0.reasons") and a diff entry's `path` can focus what they name.
import type { Finding } from '../../../../shared/checker/result';
import type { DecisionDraft } from '../../../../shared/domain/decision';

/** The element id for a draft path ("allegations.0.reasons" → "d-allegations-0-reasons"). */
export function fieldId(path: string): string {
  return `d-${path.replace(/[^A-Za-z0-9_]+/g, '-')}`;
}

/** Procedural lists are shown per person, so their paths are keyed by participant rather than list position. */
function personPath(draft: DecisionDraft, path: string): string {
  const match = /^procedural\.(attendance|declarations|training)\.(\d+)/.exec(path);
  if (!match) return path;
  const entry = draft.procedural[match[1] as 'attendance' | 'declarations' | 'training'][Number(match[2])];
  return entry ? `procedural.${match[1]}.${entry.participantId}` : `procedural.${match[1]}`;
}

const PERSON_KEYS: Record<string, string> = { attendance: 'attendance', declaration: 'declarations', training: 'training' };

const FOCUSABLE = 'input:not([type="hidden"]), select, textarea, button';

function focusable(element: HTMLElement): HTMLElement {
  if (element.matches(FOCUSABLE)) return element;
  return element.querySelector<HTMLElement>(FOCUSABLE) ?? element;
}

/** The element a set of paths names: the first path with an element, trying each path's parents in turn. */
export function elementFor(draft: DecisionDraft, paths: readonly string[], fieldKey?: string): HTMLElement | null {
  const candidates: string[] = [];
  const keyed = fieldKey ? /^(attendance|declaration|training)#(.+)$/.exec(fieldKey) : null;
  if (keyed) candidates.push(`procedural.${PERSON_KEYS[keyed[1]!]}.${keyed[2]}`);
  for (const path of paths) {
    if (path.startsWith('case.')) continue; // the clerk's case file: nothing to edit here
    const parts = personPath(draft, path).split('.');
    for (let length = parts.length; length > 0; length--) candidates.push(parts.slice(0, length).join('.'));
  }
  for (const candidate of candidates) {
    const element = document.getElementById(fieldId(candidate));
    if (element) return focusable(element);
  }
  return null;
}

/** Moves focus to the field a finding names and brings it into view; false when nothing on screen matches. */
export function focusFinding(draft: DecisionDraft, finding: Pick<Finding, 'fields' | 'fieldKey'>): boolean {
  const element = elementFor(draft, finding.fields, finding.fieldKey);
  if (!element) return false;
  element.scrollIntoView({ block: 'center' });
  element.focus({ preventScroll: true });
  return true;
}
