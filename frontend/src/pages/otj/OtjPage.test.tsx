import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { OtjEntry, OtjSummary, Role } from '../../api/types';
import { App } from '../../App';
import { json, problem, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

function signInAs(role: Role) {
  session.start(tokens({ user: { id: 'u', email: 'u@x', name: 'Someone', role, organisation_id: 'o', active: true, created_at: '2026-01-01T00:00:00Z' } }));
}

afterEach(() => vi.unstubAllGlobals());

const summary: OtjSummary = {
  planned_minutes: 24_000,
  rpl_reduction_minutes: 0,
  floor_minutes: 11_220,
  approved_minutes: 6_000,
  pending_minutes: 90,
  expected_by_now_minutes: 12_000,
  status: 'behind',
};

const entry: OtjEntry = {
  id: 'o1',
  apprenticeship_id: 'a1',
  occurred_on: '2026-03-02',
  minutes: 90,
  activity: 'taught_session',
  description: 'QC lecture',
  ksbs: [],
  status: 'pending',
  version: 1,
  created_at: '2026-03-02T10:00:00Z',
  updated_at: '2026-03-02T10:00:00Z',
};

const page = (items: OtjEntry[]) => json({ items, total: items.length, limit: 50, offset: 0 });

describe('off-the-job training', () => {
  it('shows the time against the plan as a bar with a table twin', async () => {
    signInAs('apprentice');
    mockApi({ 'GET /apprenticeships/a1/otj/summary': () => json(summary), 'GET /apprenticeships/a1/otj': () => page([entry]) });
    renderApp(<App />, { url: '/apprenticeships/a1/otj' });
    expect(await screen.findByTestId('otj-status')).toHaveTextContent('Behind plan');
    const table = screen.getByTestId('otj-table');
    expect(within(table).getByRole('row', { name: /Planned 400 hours/ })).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: /Expected by now 200 hours/ })).toBeInTheDocument();
    expect(screen.getByTestId('otj-bar')).toHaveAttribute('aria-hidden', 'true');
    expect(within(await screen.findByTestId('otj-entries')).getByText('1 hour 30 minutes')).toBeInTheDocument();
  });

  it('logs time typed in hours as minutes, and checks the form first', async () => {
    signInAs('apprentice');
    const user = userEvent.setup();
    const api = mockApi({
      'GET /apprenticeships/a1/otj/summary': () => json(summary),
      'GET /apprenticeships/a1/otj': () => page([]),
      'POST /apprenticeships/a1/otj': () => json(entry, 201),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/otj' });
    await user.click(await screen.findByRole('button', { name: 'Save time' }));
    const links = within(screen.getByRole('alert')).getAllByRole('link').map((l) => l.getAttribute('href'));
    expect(links).toEqual(['#otj-occurred-on', '#otj-amount', '#otj-activity', '#otj-description']);
    expect(api.calls.some((c) => c.method === 'POST')).toBe(false);
    await user.type(screen.getByLabelText('Date'), '2026-03-02');
    await user.type(screen.getByLabelText('Time spent'), '1.5');
    await user.click(screen.getByLabelText('Hours'));
    await user.selectOptions(screen.getByLabelText('Type of training'), 'taught_session');
    await user.type(screen.getByLabelText('What you did'), 'QC lecture');
    await user.click(screen.getByRole('button', { name: 'Save time' }));
    await waitFor(() => expect(api.calls.find((c) => c.method === 'POST')?.body).toMatchObject({ minutes: 90, activity: 'taught_session', occurred_on: '2026-03-02' }));
    expect(await screen.findByText(/1 hour 30 minutes on .* saved/)).toBeInTheDocument();
  });

  it('shows the server refusing a day over 720 minutes on the time field', async () => {
    signInAs('apprentice');
    const user = userEvent.setup();
    mockApi({
      'GET /apprenticeships/a1/otj/summary': () => json(summary),
      'GET /apprenticeships/a1/otj': () => page([]),
      'POST /apprenticeships/a1/otj': () =>
        problem(422, { code: 'validation_failed', detail: 'minutes: would bring this day to 800 minutes', errors: [{ field: 'minutes', message: 'would bring this day to 800 minutes' }] }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/otj' });
    await user.type(await screen.findByLabelText('Date'), '2026-03-02');
    await user.type(screen.getByLabelText('Time spent'), '200');
    await user.selectOptions(screen.getByLabelText('Type of training'), 'assignment');
    await user.type(screen.getByLabelText('What you did'), 'Essay');
    await user.click(screen.getByRole('button', { name: 'Save time' }));
    expect(await screen.findByRole('link', { name: 'Time spent would bring this day to 800 minutes' })).toHaveAttribute('href', '#otj-amount');
  });

  it('lets provider staff approve a pending entry but not log time', async () => {
    signInAs('provider');
    const user = userEvent.setup();
    const api = mockApi({
      'GET /apprenticeships/a1/otj/summary': () => json(summary),
      'GET /apprenticeships/a1/otj': () => page([entry]),
      'POST /otj/o1/review': () => json({ ...entry, status: 'approved' }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/otj' });
    const table = await screen.findByTestId('otj-entries');
    await user.click(within(table).getByRole('button', { name: /^Approve/ }));
    await waitFor(() => expect(api.calls.find((c) => c.path === '/otj/o1/review')?.body).toEqual({ decision: 'approved' }));
    expect(screen.queryByRole('button', { name: 'Save time' })).not.toBeInTheDocument();
  });
});
