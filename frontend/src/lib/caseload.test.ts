import { describe, expect, it } from 'vitest';
import type { CaseloadItem } from '../api/types';
import { elapsedShare, filterCaseload, heatBucket, isBehindPlan, isInactive, lifecycle, planStatus, pointsBehind, sortCaseload } from './caseload';

function item(overrides: Partial<CaseloadItem> & { signed_off?: number; name?: string }): CaseloadItem {
  const { signed_off: signed = 0, name, ...rest } = overrides;
  return {
    apprenticeship_id: name ?? 'x',
    apprentice: { id: 'p', name: name ?? 'Alex' },
    start_date: '2025-01-01',
    expected_end_date: '2027-01-01',
    totals: { ksbs: 94, signed_off: signed, evidenced: 0, in_progress: 0, not_started: 94 - signed },
    percent_evidenced: (signed / 94) * 100,
    percent_signed_off: (signed / 94) * 100,
    duties: [],
    last_activity_at: '2026-01-01T10:00:00Z',
    plan_status: 'green',
    points_behind: 0,
    last_review_on: null,
    next_review_due_by: '2026-03-31',
    review_state: 'on_time',
    unsigned_reviews: 0,
    unsigned_overdue: false,
    on_break: false,
    waiting_on: null,
    waiting_days: null,
    ...rest,
  };
}

const today = new Date('2026-01-01T12:00:00Z'); // halfway through 2025-01-01 → 2027-01-01

describe('elapsedShare', () => {
  it('is the share of the planned period that has passed, clamped to 0…1', () => {
    expect(elapsedShare('2025-01-01', '2027-01-01', today)).toBeCloseTo(0.5, 2);
    expect(elapsedShare('2026-06-01', '2027-01-01', today)).toBe(0);
    expect(elapsedShare('2020-01-01', '2021-01-01', today)).toBe(1);
  });

  it('treats a broken period as fully elapsed', () => {
    expect(elapsedShare('2026-01-01', '2025-01-01', today)).toBe(1);
    expect(elapsedShare('nonsense', '2027-01-01', today)).toBe(1);
  });
});

describe('planStatus', () => {
  // The rule and its thresholds are the server's (src/domain/plan.rs, tested there); the page
  // shows what each row carries.
  it("is the row's own status and points, as the server decided them", () => {
    expect(planStatus(item({ plan_status: 'amber', points_behind: 14.5 }))).toBe('amber');
    expect(pointsBehind(item({ plan_status: 'amber', points_behind: 14.5 }))).toBe(14.5);
  });

  it('counts red and amber as behind plan, green not', () => {
    expect(isBehindPlan(item({ plan_status: 'red' }))).toBe(true);
    expect(isBehindPlan(item({ plan_status: 'amber' }))).toBe(true);
    expect(isBehindPlan(item({ plan_status: 'green', points_behind: 10 }))).toBe(false);
  });
});

describe('lifecycle', () => {
  const on = (start: string, end: string, now: string) => lifecycle({ start_date: start, expected_end_date: end }, new Date(now));

  it('is new for the first 30 days, counted in London days', () => {
    expect(on('2026-05-01', '2028-05-01', '2026-05-30T12:00:00Z')).toBe('new'); // day 29
    expect(on('2026-05-01', '2028-05-01', '2026-05-31T12:00:00Z')).toBe('on_programme'); // day 30
    // 23:30 UTC on 30 May is already 31 May in London (BST).
    expect(on('2026-05-01', '2028-05-01', '2026-05-30T23:30:00Z')).toBe('on_programme');
    expect(on('2026-06-01', '2028-05-01', '2026-05-30T12:00:00Z')).toBe('on_programme'); // not started
  });

  it('is near the end within 60 days of the expected end, and past it the day after', () => {
    expect(on('2024-01-01', '2026-03-01', '2025-12-31T12:00:00Z')).toBe('near_end'); // 60 days
    expect(on('2024-01-01', '2026-03-01', '2025-12-30T12:00:00Z')).toBe('on_programme'); // 61 days
    expect(on('2024-01-01', '2026-03-01', '2026-03-01T12:00:00Z')).toBe('near_end'); // ends today
    expect(on('2024-01-01', '2026-03-01', '2026-03-02T00:30:00Z')).toBe('past_end');
  });
});

describe('isInactive', () => {
  it('flags more than 30 days without activity, as the server\'s inactive_days=30 does', () => {
    expect(isInactive(item({ last_activity_at: '2025-12-02T11:59:00Z' }), today)).toBe(true); // 30 days 1 minute
    expect(isInactive(item({ last_activity_at: '2025-12-02T12:00:00Z' }), today)).toBe(false); // exactly 30 days
    expect(isInactive(item({ last_activity_at: '2025-12-03T12:00:00Z' }), today)).toBe(false); // 29 days
  });
});

describe('filterCaseload and sortCaseload', () => {
  const items = [
    item({ name: 'Bea', signed_off: 60, plan_status: 'green', points_behind: -14, last_activity_at: '2025-10-01T00:00:00Z' }), // ahead, inactive
    item({ name: 'Ali', signed_off: 10, plan_status: 'red', points_behind: 39 }), // behind, active
    item({ name: 'Cal', signed_off: 20, plan_status: 'red', points_behind: 29, last_activity_at: '2025-01-01T00:00:00Z' }), // behind, inactive
  ];

  it('combines filters with AND', () => {
    const names = (list: CaseloadItem[]) => list.map((i) => i.apprentice.name);
    expect(names(filterCaseload(items, { behindPlan: true, inactive: false, name: '' }, today))).toEqual(['Ali', 'Cal']);
    expect(names(filterCaseload(items, { behindPlan: false, inactive: true, name: '' }, today))).toEqual(['Bea', 'Cal']);
    expect(names(filterCaseload(items, { behindPlan: true, inactive: true, name: '' }, today))).toEqual(['Cal']);
    expect(names(filterCaseload(items, { behindPlan: false, inactive: false, name: 'be' }, today))).toEqual(['Bea']);
    const ending = item({ name: 'Dee', signed_off: 60, expected_end_date: '2026-02-01' });
    expect(names(filterCaseload([...items, ending], { behindPlan: false, inactive: false, name: '', lifecycle: 'near_end' }, today))).toEqual(['Dee']);
  });

  it('sorts by progress and name in both directions without mutating the input', () => {
    const copy = [...items];
    expect(sortCaseload(items, 'progress', 'ascending').map((i) => i.apprentice.name)).toEqual(['Ali', 'Cal', 'Bea']);
    expect(sortCaseload(items, 'progress', 'descending').map((i) => i.apprentice.name)).toEqual(['Bea', 'Cal', 'Ali']);
    expect(sortCaseload(items, 'name', 'ascending').map((i) => i.apprentice.name)).toEqual(['Ali', 'Bea', 'Cal']);
    expect(sortCaseload(items, 'plan', 'ascending').map((i) => i.apprentice.name)).toEqual(['Ali', 'Cal', 'Bea']); // furthest behind first
    expect(items).toEqual(copy);
  });
});

describe('heatBucket', () => {
  it('shades by quartile, 0 only for nothing', () => {
    expect([0, 1, 25, 26, 50, 51, 75, 76, 100].map(heatBucket)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });
});
