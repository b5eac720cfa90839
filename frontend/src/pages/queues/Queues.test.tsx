import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { CaseloadItem, ReviewQueueItem, Role, SignoffQueueItem } from '../../api/types';
import { App } from '../../App';
import { json, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

function signInAs(role: Role) {
  session.start(tokens({ user: { id: 'u', email: 'u@x', name: 'Someone', role, organisation_id: role === 'admin' ? null : 'o', active: true, created_at: '2026-01-01T00:00:00Z' } }));
}

const waiting: ReviewQueueItem = {
  evidence_id: 'e1',
  title: 'QC run',
  kind: 'observation',
  ksbs: ['S7'],
  submitted_at: '2026-02-01T10:00:00Z',
  apprenticeship_id: 'a1',
  apprentice: { id: 'p1', name: 'Ada Apprentice' },
};
const ready: SignoffQueueItem = {
  apprenticeship_id: 'a1',
  apprentice: { id: 'p1', name: 'Ada Apprentice' },
  ksbs: ['K5', 'S7'],
  waiting: [
    { code: 'K5', text: 'The principles of quality assurance', evidence: [{ id: 'e9', title: 'QA audit notes', kind: 'work_product', occurred_on: '2026-01-20' }] },
    {
      code: 'S7',
      text: 'Perform quality control and calibration of equipment',
      evidence: [
        { id: 'e1', title: 'QC run', kind: 'observation', occurred_on: '2026-02-01' },
        { id: 'e2', title: 'Calibration log', kind: 'work_product', occurred_on: '2026-01-05' },
      ],
    },
  ],
};
const page = (items: unknown[]) => json({ items, total: items.length, limit: 25, offset: 0 });

afterEach(() => vi.unstubAllGlobals());

describe('work queues', () => {
  it('a tutor reviews from the review queue', async () => {
    signInAs('provider');
    mockApi({ 'GET /review-queue': () => page([waiting]) });
    renderApp(<App />, { url: '/review-queue' });
    expect(await screen.findByRole('link', { name: 'Review: QC run' })).toHaveAttribute('href', '/evidence/e1/review?scope=mine&at=0');
  });

  it('a tutor sees their own apprentices first and can switch to the whole provider', async () => {
    signInAs('provider');
    const { calls } = mockApi({
      'GET /review-queue': (req) => page(req.query.get('scope') === 'organisation' ? [waiting, { ...waiting, evidence_id: 'e2', title: 'Cover item' }] : [waiting]),
    });
    renderApp(<App />, { url: '/review-queue' });
    expect(await screen.findByText('1 waiting: from your apprentices')).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Everyone at my provider (cover)'));
    expect(await screen.findByText('2 waiting: across your provider')).toBeInTheDocument();
    expect(calls.map((c) => c.query.get('scope'))).toEqual(['mine', 'organisation']);
  });

  it('an administrator sees the review queue but opens the evidence, since only the provider may review', async () => {
    signInAs('admin');
    mockApi({ 'GET /review-queue': () => page([waiting]) });
    renderApp(<App />, { url: '/review-queue' });
    expect(await screen.findByRole('link', { name: 'QC run' })).toHaveAttribute('href', '/evidence/e1');
    expect(screen.queryByRole('link', { name: /^Review:/ })).toBeNull();
  });

  it('the mentor is offered to sign off each ready KSB; an administrator only to look', async () => {
    signInAs('employer');
    mockApi({ 'GET /signoff-queue': () => page([ready]) });
    const { unmount } = renderApp(<App />, { url: '/signoff-queue' });
    expect(await screen.findByRole('link', { name: 'Sign off S7 for Ada Apprentice' })).toHaveAttribute('href', '/apprenticeships/a1/ksbs/S7');
    unmount();
    signInAs('admin');
    mockApi({ 'GET /signoff-queue': () => page([ready]) });
    renderApp(<App />, { url: '/signoff-queue' });
    expect(await screen.findByRole('link', { name: 'Open S7 for Ada Apprentice' })).toHaveAttribute('href', '/apprenticeships/a1/ksbs/S7');
  });

  it('the sign-off queue groups by apprentice and shows each KSB’s statement and accepted evidence', async () => {
    signInAs('employer');
    mockApi({ 'GET /signoff-queue': () => page([ready, { ...ready, apprenticeship_id: 'a2', apprentice: { id: 'p2', name: 'Ben Apprentice' }, ksbs: ['K5'], waiting: ready.waiting.slice(0, 1) }]) });
    renderApp(<App />, { url: '/signoff-queue' });
    const ada = await screen.findByRole('region', { name: 'Ada Apprentice' });
    expect(within(ada).getByText('2 KSBs waiting.', { exact: false })).toBeInTheDocument();
    const s7 = within(ada).getAllByRole('row').find((r) => r.dataset.ksb === 'S7') as HTMLElement;
    expect(within(s7).getByText('Perform quality control and calibration of equipment')).toBeInTheDocument();
    expect(within(s7).getByRole('link', { name: 'QC run' })).toHaveAttribute('href', '/evidence/e1');
    expect(within(s7).getByText('Observation, 1 February 2026')).toBeInTheDocument();
    expect(within(s7).getByRole('link', { name: 'Calibration log' })).toHaveAttribute('href', '/evidence/e2');
    const ben = screen.getByRole('region', { name: 'Ben Apprentice' });
    expect(within(ben).getAllByRole('row')).toHaveLength(2); // header and K5
  });
});

describe('my apprentices', () => {
  it('reads the scoped caseload once and lists apprentices by name with their totals', async () => {
    signInAs('employer');
    const item = (name: string, signedOff: number): CaseloadItem => ({
      apprenticeship_id: `a-${name}`,
      apprentice: { id: `p-${name}`, name },
      start_date: '2026-01-01',
      expected_end_date: '2027-06-30',
      totals: { ksbs: 94, signed_off: signedOff, evidenced: 2, in_progress: 0, not_started: 92 - signedOff },
      percent_evidenced: ((signedOff + 2) / 94) * 100,
      percent_signed_off: (signedOff / 94) * 100,
      duties: [],
      last_activity_at: '2026-02-01T10:00:00Z',
      plan_status: 'green',
      points_behind: 0,
      last_review_on: null,
      next_review_due_by: '2026-03-31',
      review_state: 'on_time',
      unsigned_reviews: 0,
      unsigned_overdue: false,
      on_break: false,
      waiting_on: null,
      waiting_days: null,
    });
    const api = mockApi({ 'GET /caseload': () => json({ items: [item('Zoe', 1), item('Ben', 47)], total: 2, limit: 200, offset: 0 }) });
    renderApp(<App />, { url: '/apprentices' });
    const table = await screen.findByRole('table', { name: '2 apprentices' });
    const names = within(table).getAllByRole('rowheader').map((h) => h.textContent);
    expect(names).toEqual(['Ben', 'Zoe']);
    expect(within(within(table).getByRole('row', { name: /Ben/ })).getAllByRole('cell')[2]).toHaveTextContent('47 of 94 (50%)');
    expect(api.calls.filter((c) => c.path.endsWith('/coverage'))).toHaveLength(0);
    expect(api.calls.find((c) => c.path === '/caseload')?.query.get('limit')).toBe('200');
  });
});
