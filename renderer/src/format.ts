// Plain-language labels and formats shared by the case screens: dates as people write them, sizes in
// familiar units, and the words for each code the contract carries (roles, bodies, kinds of evidence).
import { COMPLAINT_TYPES, DECIDING_BODY_LABELS, PROTECTED_CHARACTERISTICS, type ComplaintType, type ProtectedCharacteristic } from '../../shared/domain/case';
import { ROLE_LABELS } from '../../shared/domain/profile';

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortDayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const momentFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "3 March 2026" for an ISO date (YYYY-MM-DD); anything unreadable is shown as given. */
export function formatDay(iso: string | null | undefined, fallback = 'Not set', short = false): string {
  if (!iso) return fallback;
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : (short ? shortDayFormat : dayFormat).format(date);
}

/** "3 March 2026, 09:14" in the computer's time zone, for a full timestamp. */
export function formatMoment(iso: string | null | undefined, fallback = 'Not set'): string {
  if (!iso) return fallback;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : momentFormat.format(date);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
}

/** "B1–B3", or "B4" for a single page. */
export function labelRange(first: string, last: string): string {
  return first === last ? first : `${first}–${last}`;
}

export function roleLabel(role: string | null | undefined): string {
  if (!role) return 'Not named';
  return (ROLE_LABELS as Record<string, string>)[role] ?? role;
}

export function bodyLabel(body: string): string {
  return (DECIDING_BODY_LABELS as Record<string, string>)[body] ?? body;
}

export const COMPLAINT_TYPE_LABELS: Record<ComplaintType, string> = {
  'social-media': 'Social media',
  'verbal-comment-in-meeting': 'Verbal comment in a meeting',
  'written-communication': 'Written communication',
  'conduct-at-event': 'Conduct at an event',
  other: 'Other',
};
export const COMPLAINT_TYPE_OPTIONS = COMPLAINT_TYPES.map((value) => ({ value, label: COMPLAINT_TYPE_LABELS[value] }));

export const PROTECTED_CHARACTERISTIC_LABELS: Record<ProtectedCharacteristic, string> = {
  age: 'Age',
  disability: 'Disability',
  'gender-reassignment': 'Gender reassignment',
  'marriage-civil-partnership': 'Marriage and civil partnership',
  'pregnancy-maternity': 'Pregnancy and maternity',
  race: 'Race',
  'religion-or-belief': 'Religion or belief',
  sex: 'Sex',
  'sexual-orientation': 'Sexual orientation',
};
export const PROTECTED_CHARACTERISTIC_OPTIONS = PROTECTED_CHARACTERISTICS.map((value) => ({ value, label: PROTECTED_CHARACTERISTIC_LABELS[value] }));

export const EVIDENCE_KIND_LABELS: Record<string, string> = {
  pdf: 'PDF',
  image: 'Image',
  text: 'Text',
  eml: 'E-mail',
};
export function kindLabel(kind: string): string {
  return EVIDENCE_KIND_LABELS[kind] ?? kind;
}

/** Today in the computer's calendar, as an ISO date. */
export function todayIso(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export function addDaysIso(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
