import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { OtjQueueItem, Role } from '../../api/types';
import { App } from '../../App';
import { json, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

function signInAs(role: Role) {
  session.start(tokens({ user: { id: 'u', email: 'u@x', name: 'Someone', role, organisation_id: role === 'admin' ? null : 'o', active: true, created_at: '2026-01-01T00:00:00Z' } }));
}

afterEach(() => vi.unstubAllGlobals());

const item: OtjQueueItem = {
  entry_id: 'e1',
  apprenticeship_id: 'a1',
  apprentice: { id: 'p', name: 'Ada Apprentice' },
  occurred_on: '2026-03-02',
  minutes: 90,
  activity: 'taught_session',
  description: 'QC lecture',
  created_at: '2026-03-02T10:00:00Z',
};

describe('off-the-job queue', () => {
  it('lets the tutor approve an entry in its row, and the entry leaves the queue', async () => {
    signInAs('provider');
    const user = userEvent.setup();
    let waiting = [item];
    const api = mockApi({
      'GET /otj-queue': () => json({ items: waiting, total: waiting.length, limit: 25, offset: 0 }),
      'POST /otj/e1/review': () => {
        waiting = [];
        return json({});
      },
    });
    renderApp(<App />, { url: '/otj-queue' });
    const table = await screen.findByRole('table', { name: /1 entry waiting: from your apprentices/ });
    expect(within(table).getByRole('link', { name: 'Ada Apprentice' })).toHaveAttribute('href', '/apprenticeships/a1/otj');
    await user.click(within(table).getByRole('button', { name: /Approve\s*1 hour 30 minutes on 2 March 2026 by Ada Apprentice/ }));
    expect(await screen.findByText('Approved: 1 hour 30 minutes on 2 March 2026 by Ada Apprentice.')).toBeInTheDocument();
    expect(await screen.findByText('No off-the-job time of your apprentices is waiting for approval.')).toBeInTheDocument();
    expect(api.calls.find((c) => c.method === 'POST')?.body).toEqual({ decision: 'approved' });
  });

  it('asks for the whole provider’s queue when switched', async () => {
    signInAs('provider');
    const user = userEvent.setup();
    const api = mockApi({ 'GET /otj-queue': () => json({ items: [], total: 0, limit: 25, offset: 0 }) });
    renderApp(<App />, { url: '/otj-queue' });
    await user.click(await screen.findByLabelText('Everyone at my provider (cover)'));
    await waitFor(() => expect(api.calls.some((c) => c.path === '/otj-queue' && c.query.get('scope') === 'organisation')).toBe(true));
  });

  it('shows administrators the queue without decisions', async () => {
    signInAs('admin');
    mockApi({ 'GET /otj-queue': () => json({ items: [item], total: 1, limit: 25, offset: 0 }) });
    renderApp(<App />, { url: '/otj-queue' });
    await screen.findByRole('table', { name: /1 entry waiting/ });
    expect(screen.queryByRole('button', { name: /Approve/ })).not.toBeInTheDocument();
  });
});
