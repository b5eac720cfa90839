import { describe, expect, it } from 'vitest';
import type { OtjSummary } from '../api/types';
import { formatMinutes, planShares, toMinutes } from './otj';

describe('toMinutes', () => {
  it('reads minutes as typed and hours as sixty minutes each', () => {
    expect(toMinutes('90', 'minutes')).toEqual({ minutes: 90 });
    expect(toMinutes('1.5', 'hours')).toEqual({ minutes: 90 });
    expect(toMinutes('1,25', 'hours')).toEqual({ minutes: 75 });
    expect(toMinutes('12', 'hours')).toEqual({ minutes: 720 });
  });

  it('says what is wrong with empty, unreadable, fractional, zero and over-long times', () => {
    expect(toMinutes('', 'minutes')).toEqual({ error: 'Enter how long the training took' });
    expect(toMinutes('an hour', 'hours')).toEqual({ error: 'Enter the time as a number, like 90 or 1.5' });
    expect(toMinutes('2.5', 'minutes')).toEqual({ error: 'Enter whole minutes' });
    expect(toMinutes('0', 'minutes')).toEqual({ error: 'Enter at least 1 minute' });
    expect(toMinutes('721', 'minutes')).toEqual({ error: 'Enter at most 12 hours (720 minutes) for one day' });
  });
});

describe('formatMinutes', () => {
  it('writes hours and minutes out in words', () => {
    expect(formatMinutes(45)).toBe('45 minutes');
    expect(formatMinutes(60)).toBe('1 hour');
    expect(formatMinutes(125)).toBe('2 hours 5 minutes');
    expect(formatMinutes(11_220)).toBe('187 hours');
  });
});

describe('planShares', () => {
  const summary = (overrides: Partial<OtjSummary>): OtjSummary => ({
    planned_minutes: 24_000,
    rpl_reduction_minutes: 0,
    floor_minutes: 11_220,
    approved_minutes: 6_000,
    pending_minutes: 1_200,
    expected_by_now_minutes: 12_000,
    status: 'behind',
    ...overrides,
  });

  it('gives the approved, pending and expected shares of the plan', () => {
    expect(planShares(summary({}))).toEqual({ approved: 25, pending: 5, expected: 50 });
  });

  it('never draws past the end of the bar and has no bar without a plan', () => {
    expect(planShares(summary({ approved_minutes: 30_000 }))).toEqual({ approved: 100, pending: 0, expected: 50 });
    expect(planShares(summary({ planned_minutes: null }))).toBeNull();
  });
});
