import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { SignoffQueueItem } from '../../api/types';
import { App } from '../../App';
import { adaApprenticeship, json, makeCoverage, makeStandard, problem, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

const apprenticeship = adaApprenticeship;
const evidence = (id: string, title: string, ksbs: string[]) => ({
  id,
  apprenticeship_id: 'a1',
  title,
  description: 'd',
  kind: 'observation',
  occurred_on: '2026-01-10',
  ksbs,
  status: 'accepted',
  created_at: '2026-01-10T09:00:00Z',
  updated_at: '2026-01-10T09:00:00Z',
  reviews: [],
});
const signoff = (ksb: string) => ({
  id: `s-${ksb}`,
  ksb,
  comment: 'Seen on the ward',
  signed_off_by: { id: 'm', name: 'Mo Mentor' },
  created_at: '2026-02-01T10:00:00Z',
  revoked_at: null,
  revoked_by: null,
  revoked_reason: null,
  content_sha256: 'ab'.repeat(32),
});
const ready: SignoffQueueItem = {
  apprenticeship_id: 'a1',
  apprentice: { id: 'p1', name: 'Ada Apprentice' },
  ksbs: ['K1', 'S7'],
  waiting: [
    { code: 'K1', text: 'The legislation', evidence: [] },
    { code: 'S7', text: 'Perform quality control and calibration of equipment', evidence: [] },
  ],
};

function portfolio(post: (body: unknown) => Response) {
  return mockApi({
    'GET /standards/ST0220/versions/1.1': () => json(makeStandard()),
    'GET /apprenticeships/a1/coverage': () => json(makeCoverage({ S7: 'evidenced', K1: 'evidenced' })),
    'GET /apprenticeships/a1/evidence': () => json({ items: [evidence('e1', 'QC and calibration', ['S7', 'K1']), evidence('e2', 'Audit notes', ['K1'])], total: 2, limit: 200, offset: 0 }),
    'GET /apprenticeships/a1': () => json(apprenticeship),
    'GET /signoff-queue': () => json({ items: [ready], total: 1, limit: 25, offset: 0 }),
    'POST /apprenticeships/a1/signoffs/bulk': (req) => post(req.body),
  });
}

beforeEach(() => session.start(tokens({ user: { id: 'm', email: 'm@x', name: 'Mo Mentor', role: 'employer', organisation_id: 'o', active: true, created_at: '2026-01-01T00:00:00Z' } })));
afterEach(() => vi.unstubAllGlobals());

describe('signing off several KSBs at once', () => {
  it('the mentor selects KSBs in the queue, sees each with its evidence and confirms once', async () => {
    const user = userEvent.setup();
    const posted: unknown[] = [];
    portfolio((body) => {
      posted.push(body);
      return json({ items: [signoff('K1'), signoff('S7')] }, 201);
    });
    renderApp(<App />, { url: '/signoff-queue' });
    await user.click(await screen.findByLabelText(/Select\s?S7\s?of Ada Apprentice/));
    await user.click(screen.getByLabelText(/Select\s?K1\s?of Ada Apprentice/));
    await user.click(screen.getByRole('button', { name: /Sign off the selected KSBs/ }));
    expect(await screen.findByRole('heading', { level: 1, name: /Sign off 2 KSBs/ })).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/apprenticeships/a1/signoffs/new?ksbs=K1,S7');
    const s7 = await screen.findByRole('region', { name: 'S7' });
    expect(within(s7).getByText('Perform quality control and calibration of equipment')).toBeInTheDocument();
    expect(within(s7).getByRole('link', { name: 'QC and calibration' })).toHaveAttribute('href', '/evidence/e1');
    expect(within(s7).queryByRole('link', { name: 'Audit notes' })).toBeNull();
    const k1 = screen.getByRole('region', { name: 'K1' });
    expect(within(k1).getAllByRole('link')).toHaveLength(2);
    await user.type(screen.getByLabelText(/Your comment on K1 and S7/), 'Seen on the ward');
    await user.click(screen.getByRole('button', { name: 'Sign off these 2 KSBs' }));
    expect(await screen.findByTestId('bulk-signoff-done')).toHaveTextContent('K1 and S7 signed off for Ada Apprentice.');
    expect(screen.getByTestId('bulk-signoff-done')).toHaveFocus();
    expect(posted).toEqual([{ ksbs: ['K1', 'S7'], comment: 'Seen on the ward' }]);
  });

  it('asks for a selection before leaving the queue', async () => {
    const user = userEvent.setup();
    portfolio(() => json({ items: [] }, 201));
    renderApp(<App />, { url: '/signoff-queue' });
    await user.click(await screen.findByRole('button', { name: /Sign off the selected KSBs/ }));
    expect(screen.getByRole('alert')).toHaveTextContent('Select at least one of Ada Apprentice’s KSBs to sign off');
    expect(screen.getByTestId('location')).toHaveTextContent('/signoff-queue');
  });

  it('shows the refusal that names the KSB, and nothing is signed off', async () => {
    const user = userEvent.setup();
    portfolio(() => problem(409, { code: 'already_signed_off', detail: 'K1 is already signed off; revoke that sign-off first to sign it off again. Nothing was signed off.' }));
    renderApp(<App />, { url: '/apprenticeships/a1/signoffs/new?ksbs=K1,S7' });
    await user.click(await screen.findByRole('button', { name: 'Sign off these 2 KSBs' }));
    const summary = await screen.findByRole('alert');
    expect(summary).toHaveTextContent('K1 is already signed off');
    expect(summary).toHaveTextContent('Nothing was signed off.');
    expect(screen.queryByTestId('bulk-signoff-done')).toBeNull();
  });
});
