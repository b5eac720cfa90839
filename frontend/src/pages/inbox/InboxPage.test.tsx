import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { InboxItem, Role } from '../../api/types';
import { App } from '../../App';
import { json, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

function signInAs(role: Role) {
  session.start(tokens({ user: { id: 'u', email: 'u@x', name: 'Someone', role, organisation_id: role === 'admin' ? null : 'o', active: true, created_at: '2026-01-01T00:00:00Z' } }));
}

const ada = { id: 'p1', name: 'Ada Apprentice' };
const item = (over: Partial<InboxItem>): InboxItem => ({
  kind: 'ksb_ready',
  apprenticeship: 'a1',
  apprentice: ada,
  subject: 'S7',
  waiting_since: '2026-02-01T10:00:00Z',
  waiting_days: 3,
  link: '/apprenticeships/a1/ksbs/S7',
  ...over,
});
const page = (items: InboxItem[], total = items.length, offset = 0) => json({ items, total, limit: 25, offset });

afterEach(() => vi.unstubAllGlobals());

describe('the inbox', () => {
  it('is where a mentor and a tutor land after signing in', async () => {
    for (const role of ['employer', 'provider'] as const) {
      signInAs(role);
      mockApi({ 'GET /inbox': () => page([]) });
      const { unmount } = renderApp(<App />, { url: '/' });
      expect(await screen.findByRole('heading', { level: 1, name: 'Inbox' })).toBeInTheDocument();
      expect(screen.getByTestId('location')).toHaveTextContent('/inbox');
      expect(await screen.findByText('Nothing is waiting for you.')).toBeInTheDocument();
      unmount();
    }
  });

  it('shows every item with how many days it has waited and a link that acts on it', async () => {
    signInAs('employer');
    mockApi({
      'GET /inbox': () =>
        page([
          item({ waiting_days: 21, waiting_since: '2026-01-10T09:00:00Z' }),
          item({ kind: 'review_to_sign', subject: 'Progress review held on 2 February 2026', waiting_days: 0, link: '/apprenticeships/a1/reviews#review-r1' }),
        ]),
    });
    renderApp(<App />, { url: '/inbox' });
    const table = await screen.findByRole('table', { name: 'Waiting for you' });
    const [first, second, ...rest] = within(table).getAllByRole('row').slice(1);
    expect(rest).toHaveLength(0);
    if (!first || !second) throw new Error('two rows expected');
    expect(within(first).getByTestId('waiting-days')).toHaveTextContent('21 days');
    expect(within(first).getByText('Long wait')).toBeInTheDocument();
    expect(within(first).getByText('since 10 January 2026')).toBeInTheDocument();
    expect(within(first).getByRole('link', { name: /^Sign off S7\s?for Ada Apprentice$/ })).toHaveAttribute('href', '/apprenticeships/a1/ksbs/S7');
    expect(within(second).getByTestId('waiting-days')).toHaveTextContent('Today');
    expect(within(second).getByRole('link', { name: /^Sign Progress review held on 2 February 2026/ })).toHaveAttribute('href', '/apprenticeships/a1/reviews#review-r1');
    expect(screen.getByTestId('inbox-total')).toHaveTextContent('2 items waiting for you.');
    expect(screen.getByRole('link', { name: 'Sign off several KSBs of one apprentice at once' })).toHaveAttribute('href', '/signoff-queue');
  });

  it('pages through a long inbox', async () => {
    signInAs('provider');
    const { calls } = mockApi({
      'GET /inbox': (req) => {
        const offset = Number(req.query.get('offset') ?? '0');
        return page([item({ kind: 'evidence_to_review', subject: offset ? 'Later' : 'First', link: '/evidence/e1/review' })], 30, offset);
      },
    });
    renderApp(<App />, { url: '/inbox' });
    expect(await screen.findByRole('link', { name: /^Review First/ })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByRole('link', { name: /^Review Later/ })).toBeInTheDocument();
    expect(calls.filter((c) => c.path === '/inbox').map((c) => c.query.get('offset'))).toEqual(['0', '25']);
  });
});
