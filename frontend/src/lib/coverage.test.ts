import { describe, expect, it } from 'vitest';
import { dutyCoverage } from '../test/fixtures';
import { describeCounts, overallEvidenced, overallSignedOff, roundToHundred, segments } from './coverage';

describe('roundToHundred', () => {
  it('keeps exact shares', () => {
    expect(roundToHundred([1, 1, 2, 0])).toEqual([25, 25, 50, 0]);
  });

  it('hands leftover points to the largest remainders so the sum is exactly 100', () => {
    // thirds: 33.33 each; one of them must take the spare point
    const thirds = roundToHundred([1, 1, 1]);
    expect(thirds.reduce((a, b) => a + b, 0)).toBe(100);
    expect(thirds).toEqual([34, 33, 33]);
    // 13 KSBs: 2/13 = 15.38, 3/13 = 23.08, 1/13 = 7.69, 7/13 = 53.85
    const d2 = roundToHundred([2, 3, 1, 7]);
    expect(d2).toEqual([15, 23, 8, 54]);
    expect(d2.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('gives all zeros for an empty duty rather than dividing by zero', () => {
    expect(roundToHundred([0, 0, 0, 0])).toEqual([0, 0, 0, 0]);
  });
});

describe('segments', () => {
  it('orders signed off, evidenced, in progress, not started with counts and widths', () => {
    const parts = segments(dutyCoverage('D2', { signed_off: 1, evidenced: 2, in_progress: 3, not_started: 7 }));
    expect(parts.map((p) => p.status)).toEqual(['signed_off', 'evidenced', 'in_progress', 'not_started']);
    expect(parts.map((p) => p.count)).toEqual([1, 2, 3, 7]);
    expect(parts.map((p) => p.percent)).toEqual([8, 15, 23, 54]);
  });

  it('a duty with every KSB signed off is one full segment', () => {
    const parts = segments(dutyCoverage('D10', { signed_off: 5 }));
    expect(parts[0]).toEqual({ status: 'signed_off', count: 5, percent: 100 });
    expect(parts.slice(1).every((p) => p.percent === 0)).toBe(true);
  });
});

describe('figures', () => {
  it('writes the counts out in words', () => {
    expect(describeCounts(dutyCoverage('D2', { signed_off: 1, evidenced: 2, in_progress: 3, not_started: 7 }))).toBe(
      '1 of 13 signed off, 2 evidenced, 3 in progress, 7 not started',
    );
  });

  it('overall percentages: evidenced includes signed off', () => {
    const totals = { ksbs: 94, signed_off: 10, evidenced: 37, in_progress: 5, not_started: 42 };
    expect(overallSignedOff(totals)).toBe(11);
    expect(overallEvidenced(totals)).toBe(50);
    expect(overallSignedOff({ ...totals, ksbs: 0 })).toBe(0);
  });
});
