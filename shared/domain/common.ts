// Small value types shared by the case, decision and criteria models. Pure: no Node, no DOM.
import { z } from 'zod';

/** Lower-case identifier used for ids that appear in data and field paths (never contains a dot). */
export const Slug = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens.');
export type Slug = z.infer<typeof Slug>;

/** Calendar date, YYYY-MM-DD (real dates only: no 30 February). */
export const IsoDate = z.iso.date();
export type IsoDate = z.infer<typeof IsoDate>;

/** Free text a person writes into a record (reasons, summaries). Bounded so a record stays loadable. */
export const RecordText = z.string().max(20_000, 'Limited to 20,000 characters.');

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for an IsoDate (UTC, so no daylight-saving surprises). */
export function dayNumber(date: IsoDate): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date((dayNumber(date) + days) * MS_PER_DAY).toISOString().slice(0, 10);
}

/** True when the text has at least `min` characters once surrounding whitespace is ignored. */
export function isFilled(text: string | null | undefined, min = 1): boolean {
  return typeof text === 'string' && text.trim().length >= Math.max(1, min);
}
