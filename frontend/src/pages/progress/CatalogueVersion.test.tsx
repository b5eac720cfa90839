/**
 * An apprenticeship's KSBs come from the catalogue of the standard version it follows, which is
 * not always the newest: here ST0220 has a second imported version, 1.2, beside 1.1.
 */
import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { Standard } from '../../api/types';
import { App } from '../../App';
import { json, makeApprenticeship, makeCoverage, makeStandard, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

const S7_1_2 = 'Carry out and record quality control and calibration of equipment and point-of-care devices';

/** Version 1.2: the same codes, S7 worded anew. */
function secondVersion(): Standard {
  const standard = makeStandard('1.2');
  return { ...standard, ksbs: standard.ksbs.map((k) => (k.code === 'S7' ? { ...k, text: S7_1_2 } : k)) };
}

const S7_1_1 = makeStandard('1.1').ksbs.find((k) => k.code === 'S7')?.text ?? '';

function portfolio(version: string) {
  return mockApi({
    'GET /standards': () =>
      json({
        items: ['1.1', '1.2'].map((v) => ({ reference: 'ST0220', title: 'Healthcare science associate', level: 4, version: v, mapping_status: 'provisional' })),
      }),
    // The newest version answers only for what is about the standard, never an apprenticeship.
    'GET /standards/ST0220': () => json(secondVersion()),
    'GET /standards/ST0220/versions/1.1': () => json(makeStandard('1.1')),
    'GET /standards/ST0220/versions/1.2': () => json(secondVersion()),
    'GET /apprenticeships/a1': () => json(makeApprenticeship({ standard_version: version })),
    'GET /apprenticeships/a1/coverage': () => json(makeCoverage({ S7: 'in_progress' })),
    'GET /apprenticeships/a1/evidence': () => json({ items: [], total: 0, limit: 100, offset: 0 }),
    'GET /apprenticeships/a1/signoffs': () => json({ items: [] }),
  });
}

beforeEach(() => session.start(tokens()));
afterEach(() => vi.unstubAllGlobals());

describe('the catalogue of the apprenticeship’s own version', () => {
  it('shows the statements of the version the apprenticeship follows', async () => {
    portfolio('1.2');
    renderApp(<App />, { url: '/apprenticeships/a1/ksbs/S7' });
    expect(await screen.findByTestId('ksb-statement')).toHaveTextContent(S7_1_2);
    expect(screen.getByTestId('whose-work')).toHaveTextContent('ST0220 version 1.2');
  });

  it('shows an older version’s statements to an apprenticeship on it, though a newer one is imported', async () => {
    const api = portfolio('1.1');
    renderApp(<App />, { url: '/apprenticeships/a1/ksbs/S7' });
    const statement = await screen.findByTestId('ksb-statement');
    expect(S7_1_1).not.toBe('');
    expect(statement).toHaveTextContent(S7_1_1);
    expect(statement).not.toHaveTextContent(S7_1_2);
    expect(screen.getByTestId('whose-work')).toHaveTextContent('ST0220 version 1.1');
    expect(api.calls.map((c) => c.path)).not.toContain('/standards/ST0220');
  });

  it('offers the older version’s KSBs where evidence is mapped', async () => {
    const api = portfolio('1.1');
    renderApp(<App />, { url: '/apprenticeships/a1/evidence/new' });
    expect(await screen.findByRole('heading', { level: 1 })).toBeInTheDocument();
    await screen.findByText(S7_1_1, { exact: false });
    expect(api.calls.filter((c) => c.path.startsWith('/standards/')).map((c) => c.path)).toEqual(['/standards/ST0220/versions/1.1']);
  });

  it('reads the apprenticeship’s own standard for the progress grid', async () => {
    const api = portfolio('1.2');
    renderApp(<App />, { url: '/apprenticeships/a1' });
    expect(await screen.findByTestId('overall-progress')).toBeInTheDocument();
    expect(api.calls.filter((c) => c.path.startsWith('/standards/')).map((c) => c.path)).toEqual(['/standards/ST0220/versions/1.2']);
  });
});
