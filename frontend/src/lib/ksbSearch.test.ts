import { describe, expect, it } from 'vitest';
import { makeStandard } from '../test/fixtures';
import { compareKsbCodes, groupByDuty, normaliseCode, searchKsbs } from './ksbSearch';

const standard = makeStandard();
const codes = (list: { code: string }[]) => list.map((k) => k.code);

describe('searchKsbs', () => {
  it('returns everything for an empty query', () => {
    expect(searchKsbs(standard.ksbs, '  ')).toHaveLength(94);
  });

  it('finds a code exactly, in any case and spacing, exact match first', () => {
    expect(codes(searchKsbs(standard.ksbs, 'S7'))).toEqual(['S7']);
    expect(codes(searchKsbs(standard.ksbs, 's 7'))).toEqual(['S7']);
    expect(codes(searchKsbs(standard.ksbs, 's4'))).toEqual(['S4', 'S40', 'S41', 'S42', 'S43', 'S44']);
  });

  it('a single letter matches words, not every code of that type', () => {
    // "b" alone is a prefix of B1…B6 codes: those come back
    expect(codes(searchKsbs(standard.ksbs, 'b'))).toEqual(['B1', 'B2', 'B3', 'B4', 'B5', 'B6']);
  });

  it('finds by words of the text, all words required', () => {
    expect(codes(searchKsbs(standard.ksbs, 'calibration'))).toEqual(['S7']);
    expect(codes(searchKsbs(standard.ksbs, 'quality calibration'))).toEqual(['S7']);
    expect(codes(searchKsbs(standard.ksbs, 'calibration legislation'))).toEqual([]);
    expect(codes(searchKsbs(standard.ksbs, 'LEGISLATION'))).toEqual(['K1']);
  });
});

describe('groupByDuty', () => {
  it('puts KSBs under each duty that lists them and the rest under no duty', () => {
    const groups = groupByDuty(standard.duties, searchKsbs(standard.ksbs, 'S7'));
    expect(groups.map((g) => g.duty?.code ?? null)).toEqual(['D2']);
    const all = groupByDuty(standard.duties, standard.ksbs);
    expect(all.map((g) => g.duty?.code ?? null)).toEqual(['D1', 'D2', null]);
    expect(all[2]?.ksbs).toHaveLength(94 - 10 - 13);
  });
});

describe('codes', () => {
  it('sorts K, S, B then numerically', () => {
    expect(['S10', 'B1', 'K10', 'S2', 'K2'].sort(compareKsbCodes)).toEqual(['K2', 'K10', 'S2', 'S10', 'B1']);
    expect(normaliseCode(' s 7 ')).toBe('S7');
  });
});
