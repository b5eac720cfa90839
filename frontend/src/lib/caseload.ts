/**
 * Caseload rules the provider filters on, as pure functions of the data and "today".
 *
 * Plan status (red / amber / green) compares the share of KSBs evidenced (accepted evidence, or
 * signed off) with the share of the planned period (start_date → expected_end_date) that has
 * elapsed, in percentage points:
 *   red   – evidenced share more than 20 points below the time elapsed;
 *   amber – more than 10 and up to 20 points below;
 *   green – 10 points below or less, or ahead.
 * The server decides it (src/domain/plan.rs, whole days in London) and sends each row's
 * `plan_status` and `points_behind`; the page writes the thresholds out beside the table
 * (PLAN_THRESHOLDS). "Behind plan" is red or amber. Accepted evidence counts, not only sign-off:
 * sign-off often waits for the workplace, and a tutor acts on what has been evidenced.
 *
 * No recent activity: nothing has happened for more than 30 days (the server starts the clock at
 * enrolment, so a brand-new apprenticeship is not flagged on day one), as the server's
 * `inactive_days` filter selects.
 *
 * Lifecycle: new (started in the last 30 days), near end (expected end within the next 60 days),
 * past expected end; counted in calendar days in Europe/London, where the people work.
 */
import type { CaseloadItem } from '../api/types';
import { overallSignedOff } from './coverage';
import { daysBetween, londonDay } from './dates';

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

/**
 * Percentage points: red beyond RED, amber beyond AMBER (up to RED), green otherwise. Written out
 * beside the table only: each row's status comes from the server (src/domain/plan.rs).
 */
export const PLAN_THRESHOLDS = { red: 20, amber: 10 } as const;

export type PlanStatus = CaseloadItem['plan_status'];

/** Share of KSBs evidenced or signed off, 0–100 (unrounded). */
export function evidencedPercent(item: Pick<CaseloadItem, 'totals'>): number {
  const { ksbs, evidenced, signed_off: signedOff } = item.totals;
  return ksbs > 0 ? ((evidenced + signedOff) * 100) / ksbs : 0;
}

/** The row's plan status, as the server decided it (the same rule as its `behind_plan` filter). */
export function planStatus(item: Pick<CaseloadItem, 'plan_status'>): PlanStatus {
  return item.plan_status;
}

/** How many percentage points the evidenced share is below the time elapsed (negative: ahead). */
export function pointsBehind(item: Pick<CaseloadItem, 'points_behind'>): number {
  return item.points_behind;
}

export function isBehindPlan(item: Pick<CaseloadItem, 'plan_status'>): boolean {
  return item.plan_status !== 'green';
}

export type Lifecycle = 'new' | 'near_end' | 'past_end' | 'on_programme';
export const NEW_DAYS = 30;
export const NEAR_END_DAYS = 60;

export function lifecycle(item: Pick<CaseloadItem, 'start_date' | 'expected_end_date'>, today: Date): Lifecycle {
  const day = londonDay(today);
  const untilEnd = daysBetween(day, item.expected_end_date.slice(0, 10));
  const sinceStart = daysBetween(item.start_date.slice(0, 10), day);
  if (untilEnd < 0) return 'past_end';
  if (untilEnd <= NEAR_END_DAYS) return 'near_end';
  if (sinceStart >= 0 && sinceStart < NEW_DAYS) return 'new';
  return 'on_programme';
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
  /** '' for every stage */
  lifecycle?: Lifecycle | '';
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
      (!filter.behindPlan || isBehindPlan(item)) &&
      (!filter.inactive || isInactive(item, today)) &&
      (!filter.lifecycle || lifecycle(item, today) === filter.lifecycle) &&
      (name === '' || item.apprentice.name.toLowerCase().includes(name)),
  );
}

export type CaseloadSortKey = 'name' | 'progress' | 'plan' | 'expected_end_date' | 'last_activity';
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
      case 'plan':
        // Furthest behind first when ascending: the apprentices who need a tutor most.
        return -pointsBehind(item);
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
