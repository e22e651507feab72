const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-03-03" → "3 Mar 2026" (unambiguous in the UK and elsewhere); anything that is not a real ISO date is shown as given. */
export function formatDisplayDate(date: string | undefined): string {
  if (date === undefined) return '';
  const match = ISO_DATE.exec(date.trim());
  if (!match) return date.trim();
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return date.trim();
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

export function formatByteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function labelRange(firstLabel: string, lastLabel: string): string {
  return firstLabel === lastLabel ? firstLabel : `${firstLabel}–${lastLabel}`;
}
