/**
 * Calendar days as people in England count them: "today" and "2 days ago" follow the
 * Europe/London calendar (GMT in winter, BST in summer), whatever the browser's own time zone.
 */
const LONDON_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
const DAY_MS = 86_400_000;

/** The Europe/London calendar date of an instant, as YYYY-MM-DD. */
export function londonDay(instant: Date): string {
  return LONDON_DAY.format(instant);
}

/** Whole calendar days from one YYYY-MM-DD date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** "today", "yesterday", "3 days ago" (or "tomorrow", "in 3 days") for a timestamp or date, from `now`. */
export function relativeDay(value: string, now: Date): string {
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) return value;
  // A bare date is already a calendar day; a timestamp is an instant placed on London's calendar.
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : londonDay(new Date(parsed));
  const days = daysBetween(day, londonDay(now));
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days === -1) return 'tomorrow';
  return days > 0 ? `${days} days ago` : `in ${-days} days`;
}

const LONDON_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });

/** "2 June 2026": the London calendar date of a timestamp. */
export function formatLondonDate(value: string): string {
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? value : LONDON_DATE.format(parsed);
}
