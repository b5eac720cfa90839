import { describe, expect, it } from 'vitest';
import { safeNext, signInPath } from './redirect';

describe('sign-in redirects', () => {
  it('keeps where the user was, encoded', () => {
    expect(signInPath('/apprenticeships/a1/evidence?status=draft', true)).toBe(
      '/sign-in?next=%2Fapprenticeships%2Fa1%2Fevidence%3Fstatus%3Ddraft&expired=1',
    );
    expect(signInPath('/')).toBe('/sign-in');
  });

  it('only returns to same-site paths', () => {
    expect(safeNext('/caseload?sort=progress')).toBe('/caseload?sort=progress');
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/sign-in?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
