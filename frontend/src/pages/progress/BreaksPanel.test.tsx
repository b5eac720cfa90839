import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { Apprenticeship, LearningBreak, Role, StartBreakInput } from '../../api/types';
import { App } from '../../App';
import { json, makeApprenticeship, makeCoverage, makeStandard, problem, tokens } from '../../test/fixtures';
import { mockApi, type FakeRequest } from '../../test/mockApi';
import { renderApp } from '../../test/render';

function signInAs(role: Role) {
  session.start(tokens({ user: { id: 'u', email: 'u@x', name: 'Someone', role, organisation_id: 'o-pro', active: true, created_at: '2026-01-01T00:00:00Z' } }));
}

afterEach(() => vi.unstubAllGlobals());

const open: LearningBreak = {
  id: 'b1',
  apprenticeship_id: 'a1',
  starts_on: '2026-03-02',
  ends_on: null,
  length_days: null,
  reason: 'Sick leave',
  created_at: '2026-03-02T09:00:00Z',
  ended_at: null,
};

function portfolio(routes: { breaks: () => LearningBreak[]; apprenticeship?: () => Apprenticeship; start?: (req: FakeRequest) => Response; end?: (req: FakeRequest) => Response }) {
  return mockApi({
    'GET /apprenticeships/a1': () => json((routes.apprenticeship ?? (() => makeApprenticeship()))()),
    'GET /apprenticeships/a1/coverage': () => json(makeCoverage()),
    'GET /standards/ST0220/versions/1.1': () => json(makeStandard()),
    'GET /apprenticeships/a1/breaks': () => json(routes.breaks()),
    ...(routes.start ? { 'POST /apprenticeships/a1/breaks': routes.start } : {}),
    ...(routes.end ? { 'POST /apprenticeships/a1/breaks/b1/end': routes.end } : {}),
  });
}

describe('breaks in learning', () => {
  it('says what a break does and starts one with an Idempotency-Key, confirming with focus', async () => {
    signInAs('provider');
    const user = userEvent.setup();
    let breaks: LearningBreak[] = [];
    const api = portfolio({
      breaks: () => breaks,
      start: (req) => {
        const body = req.body as StartBreakInput;
        breaks = [{ ...open, starts_on: body.starts_on, reason: body.reason }];
        return json(breaks[0], 201);
      },
      apprenticeship: () => makeApprenticeship({ on_break: breaks.length > 0 }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1' });
    const panel = await screen.findByRole('region', { name: 'Breaks in learning' });
    const explained = within(panel).getByTestId('what-a-break-does');
    expect(explained).toHaveTextContent('no progress review falls due');
    expect(explained).toHaveTextContent('the off-the-job time expected by now stops growing');
    expect(explained).toHaveTextContent('move later by the length of the break');
    expect(within(panel).getByText('There have been no breaks in learning.')).toBeInTheDocument();

    await user.type(within(panel).getByLabelText('First day of the break'), '2026-03-02');
    await user.type(within(panel).getByLabelText('Reason'), '  Sick leave  ');
    await user.click(within(panel).getByRole('button', { name: 'Start the break' }));

    const done = await screen.findByTestId('break-done');
    expect(done).toHaveTextContent('Break in learning started on 2 March 2026. No progress review falls due');
    expect(done).toHaveFocus();
    const post = api.calls.find((c) => c.method === 'POST');
    expect(post?.path).toBe('/apprenticeships/a1/breaks');
    expect(post?.body).toEqual({ starts_on: '2026-03-02', reason: 'Sick leave' });
    expect(post?.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    // The list and the apprenticeship are read again: the break is open, the summary says so.
    expect(await within(panel).findByRole('heading', { name: 'End the break' })).toBeInTheDocument();
    expect(within(screen.getByTestId('breaks')).getByRole('row', { name: /2 March 2026 Open Still open Sick leave/ })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('apprenticeship-summary')).toHaveTextContent('(on a break in learning)'));
  });

  it('asks for the date and the reason before sending, and shows the server’s refusal at the field', async () => {
    signInAs('provider');
    const user = userEvent.setup();
    const api = portfolio({
      breaks: () => [],
      start: () =>
        problem(422, {
          code: 'validation_failed',
          title: 'Validation failed',
          detail: 'starts_on: must not be before the apprenticeship started (2025-09-01)',
          errors: [{ field: 'starts_on', message: 'must not be before the apprenticeship started (2025-09-01)' }],
        }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1' });
    const panel = await screen.findByRole('region', { name: 'Breaks in learning' });
    await user.click(within(panel).getByRole('button', { name: 'Start the break' }));
    let summary = await within(panel).findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Enter the first day of the break' })).toHaveAttribute('href', '#break-starts-on');
    expect(within(summary).getByRole('link', { name: 'Say why learning is paused' })).toHaveAttribute('href', '#break-reason');
    expect(api.calls.some((c) => c.method === 'POST')).toBe(false);

    await user.type(within(panel).getByLabelText('First day of the break'), '2025-01-01');
    await user.type(within(panel).getByLabelText('Reason'), 'Parental leave');
    await user.click(within(panel).getByRole('button', { name: 'Start the break' }));
    summary = await within(panel).findByRole('alert');
    await within(summary).findByRole('link', { name: 'First day of the break must not be before the apprenticeship started (2025-09-01)' });
    expect(within(panel).getByLabelText('First day of the break')).toHaveAccessibleDescription(/Must not be before the apprenticeship started \(2025-09-01\)/);
  });

  it('ends the open break and says how far the dates moved', async () => {
    signInAs('provider');
    const user = userEvent.setup();
    let ended = false;
    const api = portfolio({
      breaks: () => (ended ? [{ ...open, ends_on: '2026-03-11', length_days: 10, ended_at: '2026-03-12T09:00:00Z' }] : [open]),
      apprenticeship: () =>
        ended
          ? makeApprenticeship({ expected_end_date: '2027-09-10', next_review_due_by: '2026-06-10' })
          : makeApprenticeship({ on_break: true, next_review_due_by: null }),
      end: () => {
        ended = true;
        return json({ ...open, ends_on: '2026-03-11', length_days: 10 });
      },
    });
    renderApp(<App />, { url: '/apprenticeships/a1' });
    const panel = await screen.findByRole('region', { name: 'Breaks in learning' });
    expect(within(panel).getByText(/since 2 March 2026/)).toBeInTheDocument();
    expect(within(panel).queryByRole('button', { name: 'Start the break' })).not.toBeInTheDocument();
    await user.type(within(panel).getByLabelText('Last day of the break'), '2026-03-11');
    await user.click(within(panel).getByRole('button', { name: 'End the break' }));
    const done = await screen.findByTestId('break-done');
    expect(done).toHaveTextContent(
      'Break in learning ended on 11 March 2026, after 10 days. The dates moved later by 10 days. The expected end date is now 10 September 2027; the next progress review is due by 10 June 2026.',
    );
    expect(done).toHaveFocus();
    const post = api.calls.find((c) => c.method === 'POST');
    expect(post?.path).toBe('/apprenticeships/a1/breaks/b1/end');
    expect(post?.body).toEqual({ ends_on: '2026-03-11' });
    expect(within(panel).getByRole('button', { name: 'Start the break' })).toBeInTheDocument();
  });

  it('shows the apprentice their breaks without the forms', async () => {
    signInAs('apprentice');
    portfolio({ breaks: () => [{ ...open, ends_on: '2026-03-11', length_days: 10 }] });
    renderApp(<App />, { url: '/apprenticeships/a1' });
    const panel = await screen.findByRole('region', { name: 'Breaks in learning' });
    expect(within(panel).getByRole('row', { name: /2 March 2026 11 March 2026 10 days Sick leave/ })).toBeInTheDocument();
    expect(within(panel).queryByRole('button')).not.toBeInTheDocument();
  });

  it('leaves the section out for an apprentice who has had no break', async () => {
    signInAs('apprentice');
    const api = portfolio({ breaks: () => [] });
    renderApp(<App />, { url: '/apprenticeships/a1' });
    await screen.findByTestId('overall-progress');
    await waitFor(() => expect(api.calls.some((c) => c.path === '/apprenticeships/a1/breaks')).toBe(true));
    expect(screen.queryByRole('region', { name: 'Breaks in learning' })).not.toBeInTheDocument();
  });
});
