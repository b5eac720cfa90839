/**
 * Caseload rules the provider filters on, as pure functions of the data and "today".
 *
 * Behind plan: the share of KSBs signed off is below the share of the planned period
 * (start_date → expected_end_date) that has already elapsed.
 * No recent activity: nothing has happened for more than 30 days (the server starts the clock
 * at enrolment, so a brand-new apprenticeship is not flagged on day one).
 *
 * Both mirror the server's `behind_plan` and `inactive_days` caseload filters, so the flags on
 * the rows agree with what the API would select.
 */
import type { CaseloadItem } from '../api/types';
import { overallSignedOff } from './coverage';

export const INACTIVE_DAYS = 30;
const DAY_MS = 86_400_000;

function parseDay(value: string): number {
  // Dates are ISO (YYYY-MM-DD or full timestamps); both parse as UTC.
  return Date.parse(value);
}

/** 0…1 share of the planned period that has passed by `today`. */
export function elapsedShare(start: string, end: string, today: Date): number {
  const from = parseDay(start);
  const to = parseDay(end);
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from) return 1;
  const share = (today.getTime() - from) / (to - from);
  return Math.min(1, Math.max(0, share));
}

export function elapsedPercent(item: Pick<CaseloadItem, 'start_date' | 'expected_end_date'>, today: Date): number {
  return Math.round(elapsedShare(item.start_date, item.expected_end_date, today) * 100);
}

export function isBehindPlan(item: CaseloadItem, today: Date): boolean {
  const expected = elapsedShare(item.start_date, item.expected_end_date, today) * 100;
  const signedOff = item.totals.ksbs > 0 ? (item.totals.signed_off / item.totals.ksbs) * 100 : 0;
  return signedOff < expected;
}

function msSinceActivity(item: CaseloadItem, today: Date): number {
  const last = parseDay(item.last_activity_at);
  return Number.isNaN(last) ? Number.POSITIVE_INFINITY : today.getTime() - last;
}

export function daysSinceActivity(item: CaseloadItem, today: Date): number {
  return Math.floor(msSinceActivity(item, today) / DAY_MS);
}

/** Like the server's `inactive_days=N`: the last activity is more than N days ago. */
export function isInactive(item: CaseloadItem, today: Date, days: number = INACTIVE_DAYS): boolean {
  return msSinceActivity(item, today) > days * DAY_MS;
}

export interface CaseloadFilter {
  behindPlan: boolean;
  inactive: boolean;
  /** matches apprentice name, case-insensitive */
  name: string;
}

export function filterCaseload(
  items: readonly CaseloadItem[],
  filter: CaseloadFilter,
  today: Date,
): CaseloadItem[] {
  const name = filter.name.trim().toLowerCase();
  return items.filter(
    (item) =>
      (!filter.behindPlan || isBehindPlan(item, today)) &&
      (!filter.inactive || isInactive(item, today)) &&
      (name === '' || item.apprentice.name.toLowerCase().includes(name)),
  );
}

export type CaseloadSortKey = 'name' | 'progress' | 'expected_end_date' | 'last_activity';
export type SortDirection = 'ascending' | 'descending';

export function sortCaseload(
  items: readonly CaseloadItem[],
  key: CaseloadSortKey,
  direction: SortDirection,
): CaseloadItem[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const value = (item: CaseloadItem): number | string => {
    switch (key) {
      case 'name':
        return item.apprentice.name.toLowerCase();
      case 'progress':
        return overallSignedOff(item.totals);
      case 'expected_end_date':
        return parseDay(item.expected_end_date);
      case 'last_activity':
        return parseDay(item.last_activity_at);
    }
  };
  return [...items].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va < vb) return -1 * sign;
    if (va > vb) return 1 * sign;
    return a.apprentice.name.localeCompare(b.apprentice.name);
  });
}

/** Heatmap shade 0–4 for a percentage; the number is always printed in the cell too. */
export function heatBucket(percent: number): 0 | 1 | 2 | 3 | 4 {
  if (percent <= 0) return 0;
  if (percent <= 25) return 1;
  if (percent <= 50) return 2;
  if (percent <= 75) return 3;
  return 4;
}
