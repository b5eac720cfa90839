/** Off-the-job time: the minutes-or-hours input, how minutes read, and the plan bar's maths. */
import type { OtjActivity, OtjPlanStatus, OtjStatus, OtjSummary } from '../api/types';

export type DurationUnit = 'minutes' | 'hours';

/** The most one day may hold, as the server counts it. */
export const DAILY_CAP_MINUTES = 720;

/** Minutes from what the apprentice typed, or the sentence to show under the field. */
export function toMinutes(amount: string, unit: DurationUnit): { minutes: number } | { error: string } {
  const text = amount.trim().replace(',', '.');
  if (text === '') return { error: 'Enter how long the training took' };
  if (!/^\d+(\.\d+)?$/.test(text)) return { error: 'Enter the time as a number, like 90 or 1.5' };
  const minutes = unit === 'hours' ? Math.round(Number(text) * 60) : Number(text);
  if (!Number.isInteger(minutes)) return { error: 'Enter whole minutes' };
  if (minutes < 1) return { error: 'Enter at least 1 minute' };
  if (minutes > DAILY_CAP_MINUTES) return { error: 'Enter at most 12 hours (720 minutes) for one day' };
  return { minutes };
}

/** "2 hours 5 minutes", "45 minutes", "3 hours". */
export function formatMinutes(total: number): string {
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  const part = (n: number, unit: string) => `${n.toLocaleString('en-GB')} ${unit}${n === 1 ? '' : 's'}`;
  if (hours === 0) return part(minutes, 'minute');
  if (minutes === 0) return part(hours, 'hour');
  return `${part(hours, 'hour')} ${part(minutes, 'minute')}`;
}

/** Shares of the plan, 0–100, for the bar: approved, pending on top of it, and the "expected by now" mark. */
export function planShares(summary: OtjSummary): { approved: number; pending: number; expected: number } | null {
  const planned = summary.planned_minutes;
  if (planned === null || planned === undefined || planned <= 0) return null;
  const share = (n: number) => Math.min(100, Math.max(0, (n / planned) * 100));
  const approved = share(summary.approved_minutes);
  return {
    approved,
    pending: Math.min(100 - approved, share(summary.pending_minutes)),
    expected: share(summary.expected_by_now_minutes),
  };
}

export const PLAN_STATUS_LABELS: Record<OtjPlanStatus, string> = {
  no_plan: 'No plan set yet',
  on_track: 'On track',
  behind: 'Behind plan',
  complete: 'Plan complete',
};

export const OTJ_STATUS_LABELS: Record<OtjStatus, string> = {
  pending: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Rejected',
};

export const ACTIVITY_LABELS: Record<OtjActivity, string> = {
  taught_session: 'Taught session',
  online_learning: 'Online learning',
  practical_training: 'Practical training',
  shadowing: 'Shadowing',
  mentoring: 'Mentoring',
  assignment: 'Assignment',
  industry_visit: 'Industry visit',
  other: 'Other',
};
