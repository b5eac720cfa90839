import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { Signoff } from '../../api/types';
import { App } from '../../App';
import { adaApprenticeship, json, makeCoverage, makeStandard, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

const accepted = {
  id: 'e1',
  apprenticeship_id: 'a1',
  title: 'QC and calibration',
  description: 'd',
  kind: 'observation',
  occurred_on: '2026-01-10',
  ksbs: ['S7'],
  status: 'accepted',
  created_at: '2026-01-10T09:00:00Z',
  updated_at: '2026-01-10T09:00:00Z',
  reviews: [],
};

const apprenticeship = adaApprenticeship;

beforeEach(() => session.start(tokens({ user: { id: 'm', email: 'm@x', name: 'Mo Mentor', role: 'employer', organisation_id: 'o', active: true, created_at: '2026-01-01T00:00:00Z' } })));
afterEach(() => vi.unstubAllGlobals());

describe('KSB page for the workplace mentor', () => {
  it('signs off without a comment', async () => {
    const user = userEvent.setup();
    const posted: unknown[] = [];
    mockApi({
      'GET /standards/ST0220/versions/1.1': () => json(makeStandard()),
      'GET /apprenticeships/a1/coverage': () => json(makeCoverage({ S7: 'evidenced' })),
      'GET /apprenticeships/a1/evidence': () => json({ items: [accepted], total: 1, limit: 100, offset: 0 }),
      'GET /apprenticeships/a1/signoffs': () => json({ items: [] }),
      'GET /apprenticeships/a1': () => json(apprenticeship),
      'POST /apprenticeships/a1/signoffs': (req) => {
        posted.push(req.body);
        return json({ id: 's1', ksb: 'S7', comment: '', signed_off_by: { id: 'm', name: 'Mo Mentor' }, created_at: '2026-02-01T10:00:00Z', revoked_at: null, revoked_reason: null }, 201);
      },
    });
    renderApp(<App />, { url: '/apprenticeships/a1/ksbs/S7' });
    await user.click(await screen.findByRole('button', { name: 'Sign off S7' }));
    expect(await screen.findByText('S7 signed off.')).toBeInTheDocument();
    expect(posted).toEqual([{ ksb: 'S7', comment: '' }]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows accepted evidence beside the sign-off form, and signs off', async () => {
    const user = userEvent.setup();
    const signoffs: Signoff[] = [];
    const api = mockApi({
      'GET /standards/ST0220/versions/1.1': () => json(makeStandard()),
      'GET /apprenticeships/a1/coverage': () => json(makeCoverage({ S7: signoffs.length ? 'signed_off' : 'evidenced' })),
      'GET /apprenticeships/a1/evidence': () => json({ items: [accepted], total: 1, limit: 100, offset: 0 }),
      'GET /apprenticeships/a1/signoffs': () => json({ items: signoffs }),
      'GET /apprenticeships/a1': () => json(apprenticeship),
      'POST /apprenticeships/a1/signoffs': (req) => {
        const s: Signoff = { id: 's1', ksb: 'S7', comment: (req.body as { comment: string }).comment, signed_off_by: { id: 'm', name: 'Mo Mentor' }, created_at: '2026-02-01T10:00:00Z', revoked_at: null, revoked_reason: null, revoked_by: null, content_sha256: 'ab'.repeat(32) };
        signoffs.push(s);
        return json(s, 201);
      },
    });
    renderApp(<App />, { url: '/apprenticeships/a1/ksbs/S7' });
    const table = await screen.findByRole('table', { name: 'Accepted evidence for S7' });
    expect(within(table).getByRole('link', { name: 'QC and calibration' })).toHaveAttribute('href', '/evidence/e1');
    expect(screen.getByTestId('ksb-statement')).toHaveTextContent('Perform quality control and calibration of equipment');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Ada Apprentice');
    expect(screen.getByTestId('whose-work')).toHaveTextContent('Ada Apprentice');
    expect(screen.getByTestId('provisional-mapping')).toBeInTheDocument();
    expect(api.calls.find((c) => c.path === '/apprenticeships/a1/evidence')?.query.get('ksb')).toBe('S7');

    await user.type(screen.getByLabelText('Your comment on S7 (optional)'), 'Seen on the ward.');
    await user.click(screen.getByRole('button', { name: 'Sign off S7' }));
    const done = await screen.findByText('S7 signed off.');
    expect(done.closest('[role="status"]')).toHaveFocus();
    expect(await screen.findByTestId('active-signoff')).toHaveTextContent('Seen on the ward.');
    expect(screen.getByRole('button', { name: 'Revoke sign-off of S7' })).toBeInTheDocument();
  });
});
