import { describe, expect, it } from 'vitest';
import type { CaseloadItem } from '../api/types';
import { elapsedShare, filterCaseload, heatBucket, isBehindPlan, isInactive, sortCaseload } from './caseload';

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
    last_review_on: null,
    next_review_due_by: '2026-03-31',
    review_state: 'on_time',
    unsigned_reviews: 0,
    unsigned_overdue: false,
    on_break: false,
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

describe('isBehindPlan', () => {
  it('is behind when the share signed off is below the share of time elapsed', () => {
    expect(isBehindPlan(item({ signed_off: 40 }), today)).toBe(true); // 42.6% < ~50%
    expect(isBehindPlan(item({ signed_off: 48 }), today)).toBe(false); // 51.1% ≥ ~50%
  });

  it('nobody is behind before the start date', () => {
    expect(isBehindPlan(item({ start_date: '2026-02-01', signed_off: 0 }), today)).toBe(false);
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
    item({ name: 'Bea', signed_off: 60, last_activity_at: '2025-10-01T00:00:00Z' }), // ahead, inactive
    item({ name: 'Ali', signed_off: 10 }), // behind, active
    item({ name: 'Cal', signed_off: 20, last_activity_at: '2025-01-01T00:00:00Z' }), // behind, inactive
  ];

  it('combines filters with AND', () => {
    const names = (list: CaseloadItem[]) => list.map((i) => i.apprentice.name);
    expect(names(filterCaseload(items, { behindPlan: true, inactive: false, name: '' }, today))).toEqual(['Ali', 'Cal']);
    expect(names(filterCaseload(items, { behindPlan: false, inactive: true, name: '' }, today))).toEqual(['Bea', 'Cal']);
    expect(names(filterCaseload(items, { behindPlan: true, inactive: true, name: '' }, today))).toEqual(['Cal']);
    expect(names(filterCaseload(items, { behindPlan: false, inactive: false, name: 'be' }, today))).toEqual(['Bea']);
  });

  it('sorts by progress and name in both directions without mutating the input', () => {
    const copy = [...items];
    expect(sortCaseload(items, 'progress', 'ascending').map((i) => i.apprentice.name)).toEqual(['Ali', 'Cal', 'Bea']);
    expect(sortCaseload(items, 'progress', 'descending').map((i) => i.apprentice.name)).toEqual(['Bea', 'Cal', 'Ali']);
    expect(sortCaseload(items, 'name', 'ascending').map((i) => i.apprentice.name)).toEqual(['Ali', 'Bea', 'Cal']);
    expect(items).toEqual(copy);
  });
});

describe('heatBucket', () => {
  it('shades by quartile, 0 only for nothing', () => {
    expect([0, 1, 25, 26, 50, 51, 75, 76, 100].map(heatBucket)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });
});
