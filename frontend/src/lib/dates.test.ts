import { describe, expect, it } from 'vitest';
import { daysBetween, formatLondonDate, londonDay, relativeDay } from './dates';

describe('London calendar days', () => {
  it('places an instant on the Europe/London calendar in summer and winter', () => {
    expect(londonDay(new Date('2026-06-01T23:30:00Z'))).toBe('2026-06-02'); // BST, UTC+1
    expect(londonDay(new Date('2026-01-15T23:30:00Z'))).toBe('2026-01-15'); // GMT
    expect(formatLondonDate('2026-06-01T23:30:00Z')).toBe('2 June 2026');
  });

  it('counts whole days across the clock change', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // BST starts on 29 March
    expect(daysBetween('2026-03-30', '2026-03-28')).toBe(-2);
  });
});

describe('relativeDay', () => {
  const now = new Date('2026-06-02T08:00:00Z'); // 09:00 in London

  it('says today for late last night UTC when it was already today in London', () => {
    expect(relativeDay('2026-06-01T23:30:00Z', now)).toBe('today');
    expect(relativeDay('2026-06-01T22:30:00Z', now)).toBe('yesterday'); // 23:30 BST on the 1st
  });

  it('counts calendar days, not 24-hour periods', () => {
    expect(relativeDay('2026-05-31T08:30:00Z', now)).toBe('2 days ago');
    expect(relativeDay('2026-05-30', now)).toBe('3 days ago');
    expect(relativeDay('2026-06-05', now)).toBe('in 3 days');
  });

  it('works at midnight in winter, when London is on GMT', () => {
    const winter = new Date('2026-01-10T00:10:00Z');
    expect(relativeDay('2026-01-09T23:50:00Z', winter)).toBe('yesterday');
  });
});
