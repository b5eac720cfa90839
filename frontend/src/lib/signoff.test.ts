import { describe, expect, it } from 'vitest';
import { bulkSignoffPath, listInWords, selectedCodes } from './signoff';

describe('a selection of KSBs to sign off', () => {
  it('reads the codes from the URL once each, upper-cased, in order', () => {
    expect(selectedCodes(' s7,K5,,S7 ')).toEqual(['S7', 'K5']);
    expect(selectedCodes(null)).toEqual([]);
  });

  it('names them in words', () => {
    expect(listInWords(['S7'])).toBe('S7');
    expect(listInWords(['S7', 'K5'])).toBe('S7 and K5');
    expect(listInWords(['S7', 'K5', 'B2'])).toBe('S7, K5 and B2');
  });

  it('travels to the bulk sign-off page and back', () => {
    const path = bulkSignoffPath('a1', ['S7', 'K5']);
    expect(path).toBe('/apprenticeships/a1/signoffs/new?ksbs=S7,K5');
    expect(selectedCodes(new URL(path, 'http://x').searchParams.get('ksbs'))).toEqual(['S7', 'K5']);
  });
});
