/**
 * Maths behind the per-duty progress bars: counts → segments whose whole-number percentages
 * always add up to exactly 100 (largest-remainder rounding), so the bar never over- or
 * under-fills and the written figures match the drawn widths.
 */
import type { CoverageTotals, DutyCoverage, KsbStatus } from '../api/types';

/** Order of the segments from left to right: furthest along first. */
export const SEGMENT_ORDER: readonly KsbStatus[] = [
  'signed_off',
  'evidenced',
  'in_progress',
  'not_started',
];

export interface Segment {
  status: KsbStatus;
  count: number;
  /** whole-number share of the duty's KSBs; the four add up to 100 (or all 0 when empty) */
  percent: number;
}

type Counts = Pick<CoverageTotals, KsbStatus>;

/** Round shares so they sum to 100: floor each, then hand the leftover points to the largest remainders. */
export function roundToHundred(values: readonly number[]): number[] {
  const total = values.reduce((sum, v) => sum + Math.max(0, v), 0);
  if (total === 0) return values.map(() => 0);
  const exact = values.map((v) => (Math.max(0, v) / total) * 100);
  const floored = exact.map(Math.floor);
  let leftover = 100 - floored.reduce((sum, v) => sum + v, 0);
  const byRemainder = exact
    .map((v, i) => ({ i, remainder: v - Math.floor(v) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (leftover <= 0) break;
    floored[i] = (floored[i] ?? 0) + 1;
    leftover -= 1;
  }
  return floored;
}

export function segments(counts: Counts): Segment[] {
  const values = SEGMENT_ORDER.map((status) => counts[status]);
  const percents = roundToHundred(values);
  return SEGMENT_ORDER.map((status, i) => ({
    status,
    count: values[i] ?? 0,
    percent: percents[i] ?? 0,
  }));
}

export function dutyTotal(duty: Counts): number {
  return duty.signed_off + duty.evidenced + duty.in_progress + duty.not_started;
}

/** "3 of 8 signed off, 2 evidenced, 1 in progress, 2 not started" — the bar's written figures. */
export function describeCounts(counts: Counts): string {
  const total = dutyTotal(counts);
  return (
    `${counts.signed_off} of ${total} signed off, ${counts.evidenced} evidenced, ` +
    `${counts.in_progress} in progress, ${counts.not_started} not started`
  );
}

/** Percent of a duty's KSBs evidenced or better, as the heatmap shows it. */
export function percentOf(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.round((part / whole) * 100);
}

export function overallSignedOff(totals: CoverageTotals): number {
  return percentOf(totals.signed_off, totals.ksbs);
}

export function overallEvidenced(totals: CoverageTotals): number {
  return percentOf(totals.signed_off + totals.evidenced, totals.ksbs);
}

export function findDuty(duties: readonly DutyCoverage[], code: string): DutyCoverage | undefined {
  return duties.find((d) => d.code === code);
}
