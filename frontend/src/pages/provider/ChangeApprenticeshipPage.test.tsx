import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { Apprenticeship, User } from '../../api/types';
import { App } from '../../App';
import { changesOf, draftOf, floorHours, floorText } from '../../lib/apprenticeshipChange';
import { json, makeApprenticeship, makeCoverage, makeStandard, problem, tokens } from '../../test/fixtures';
import { mockApi, type FakeRequest } from '../../test/mockApi';
import { renderApp } from '../../test/render';

const tutorUser: User = { id: 'u-tut', email: 't@x', name: 'Tess Tutor', role: 'provider', organisation_id: 'o-pro', active: true, created_at: '2026-01-01T00:00:00Z' };
const otherTutor: User = { ...tutorUser, id: 'u-tut2', email: 't2@x', name: 'Tom Tutor' };
const mentorUser: User = { id: 'u-men', email: 'm@x', name: 'Mo Mentor', role: 'employer', organisation_id: 'o-emp', active: true, created_at: '2026-01-01T00:00:00Z' };
const goneMentor: User = { ...mentorUser, id: 'u-men-old', email: 'old@x', name: 'Old Mentor', active: false };

beforeEach(() => session.start(tokens({ user: tutorUser })));
afterEach(() => vi.unstubAllGlobals());

const current = makeApprenticeship({
  mentor: { id: 'u-men', name: 'Mo Mentor', email: 'm@x' },
  tutor: { id: 'u-tut', name: 'Tess Tutor', email: 't@x' },
  employer: { id: 'o-emp', name: 'Royal Infirmary' },
  provider: { id: 'o-pro', name: 'City College' },
  version: 4,
});

function users(req: FakeRequest) {
  const role = req.query.get('role');
  const items = role === 'employer' ? [mentorUser, goneMentor] : [tutorUser, otherTutor];
  return json({ items, total: items.length, limit: 200, offset: 0 });
}

function changeApi(patch: (req: FakeRequest) => Response, apprenticeship: () => Apprenticeship = () => current) {
  return mockApi({
    'GET /apprenticeships/a1': () => {
      const a = apprenticeship();
      return json(a, 200, { etag: `"${a.version}"` });
    },
    'GET /standards/ST0220/versions/1.1': () => json({ ...makeStandard(), minimum_otj_hours: 400 }),
    'GET /users': users,
    'PATCH /apprenticeships/a1': patch,
    // The portfolio page the form returns to.
    'GET /apprenticeships/a1/coverage': () => json(makeCoverage()),
    'GET /apprenticeships/a1/breaks': () => json([]),
  });
}

describe('changing the apprenticeship', () => {
  it('sends only what changed, with If-Match, and confirms on the portfolio with focus', async () => {
    const user = userEvent.setup();
    const api = changeApi(() => json({ ...current, planned_otj_hours: 420, tutor_id: 'u-tut2', version: 5 }, 200, { etag: '"5"' }));
    renderApp(<App />, { url: '/apprenticeships/a1/change' });
    const planned = await screen.findByLabelText('Planned off-the-job hours');
    expect(planned).toHaveValue('');
    expect(planned).toHaveAccessibleDescription(/At least 400 hours: the standard's published minimum of 400 hours less 0 hours of recognised prior learning\. No plan is set yet\./);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Change the apprenticeship');
    // The pickers ask for the people of the apprenticeship's own employer and provider.
    const queries = api.calls.filter((c) => c.path === '/users').map((c) => `${c.query.get('role')}@${c.query.get('organisation_id')}`);
    expect(queries.sort()).toEqual(['employer@o-emp', 'provider@o-pro']);
    const mentor = screen.getByLabelText('Workplace mentor');
    expect(within(mentor).getAllByRole('option').map((o) => o.textContent)).toEqual(['Mo Mentor']);

    await user.clear(screen.getByLabelText('Recognised prior learning, in hours'));
    await user.type(screen.getByLabelText('Recognised prior learning, in hours'), '100');
    expect(planned).toHaveAccessibleDescription(/At least 300 hours: the standard's published minimum of 400 hours less 100 hours/);
    await user.type(planned, '420');
    await user.selectOptions(screen.getByLabelText('Tutor'), 'u-tut2');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    const flash = await screen.findByTestId('flash');
    expect(flash).toHaveTextContent('Apprenticeship changed: 420 planned off-the-job hours; 100 hours of recognised prior learning; Tom Tutor as tutor.');
    // Focus moves once the page has rendered (the route focus effect), not with the first paint.
    await waitFor(() => expect(flash).toHaveFocus());
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/apprenticeships\/a1$/);
    const sent = api.calls.filter((c) => c.method === 'PATCH');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers['If-Match']).toBe('"4"');
    expect(sent[0]?.body).toEqual({ planned_otj_hours: 420, rpl_reduction_hours: 100, tutor_id: 'u-tut2' });
  });

  it('shows the floor message of a 422 beside the field and in the summary', async () => {
    const user = userEvent.setup();
    const message = "must be at least 400 hours (the standard's published minimum of 400 hours less 0 hours of recognised prior learning); 300 hours were planned";
    changeApi(() =>
      problem(422, {
        code: 'validation_failed',
        title: 'Validation failed',
        detail: `planned_otj_hours: ${message}; expected_end_date: must be after the start date (2025-09-01)`,
        errors: [
          { field: 'planned_otj_hours', message },
          { field: 'expected_end_date', message: 'must be after the start date (2025-09-01)' },
        ],
      }),
    );
    renderApp(<App />, { url: '/apprenticeships/a1/change' });
    await user.type(await screen.findByLabelText('Planned off-the-job hours'), '300');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: `Planned off-the-job hours ${message}` })).toHaveAttribute('href', '#change-planned-hours');
    expect(within(summary).getByRole('link', { name: 'Expected end date must be after the start date (2025-09-01)' })).toHaveAttribute('href', '#change-end');
    expect(screen.getByLabelText('Planned off-the-job hours')).toHaveAccessibleDescription(/Must be at least 400 hours \(the standard's published minimum/);
    await waitFor(() => expect(summary.parentElement).toHaveFocus());
  });

  it('explains a 412 and reloads the latest details, whose ETag the next change carries', async () => {
    const user = userEvent.setup();
    let version = 4;
    const api = changeApi(
      (req) => (req.headers['If-Match'] === '"4"' ? problem(412, { code: 'precondition_failed', detail: 'This apprenticeship has changed since you loaded it.' }) : json({ ...current, version: 6 }, 200, { etag: '"6"' })),
      () => (version === 4 ? current : { ...current, expected_end_date: '2027-10-31', version }),
    );
    renderApp(<App />, { url: '/apprenticeships/a1/change' });
    await user.type(await screen.findByLabelText('Planned off-the-job hours'), '450');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText(/Someone else changed Ada Apprentice's apprenticeship after you opened this page/)).toBeInTheDocument();
    version = 5;
    await user.click(screen.getByRole('button', { name: 'Reload the latest details' }));
    await waitFor(() => expect(screen.getByLabelText('Expected end date')).toHaveValue('2027-10-31'));
    expect(screen.getByLabelText('Planned off-the-job hours')).toHaveValue('');
    await user.type(screen.getByLabelText('Planned off-the-job hours'), '450');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByTestId('flash');
    const patches = api.calls.filter((c) => c.method === 'PATCH');
    expect(patches.map((p) => p.headers['If-Match'])).toEqual(['"4"', '"5"']);
    expect(patches[1]?.body).toEqual({ planned_otj_hours: 450 });
  });

  it('sends nothing when nothing changed, or when a number is not a whole one', async () => {
    const user = userEvent.setup();
    const api = changeApi(() => json(current));
    renderApp(<App />, { url: '/apprenticeships/a1/change' });
    await user.click(await screen.findByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText(/You have not changed anything/)).toBeInTheDocument();
    await user.type(screen.getByLabelText('Planned off-the-job hours'), '12.5');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Enter the planned off-the-job hours as a whole number, like 400' })).toHaveAttribute('href', '#change-planned-hours');
    expect(api.calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('is reached from the portfolio by the provider’s staff, which shows the plan', async () => {
    changeApi(() => json(current));
    renderApp(<App />, { url: '/apprenticeships/a1' });
    expect(await screen.findByRole('link', { name: /^Change the plan, mentor, tutor or expected end date/ })).toHaveAttribute('href', '/apprenticeships/a1/change');
    expect(screen.getByTestId('apprenticeship-summary')).toHaveTextContent('Off-the-job planNo plan set yet');
  });

  it('is not offered to a mentor', async () => {
    session.start(tokens({ user: mentorUser }));
    changeApi(() => json(current));
    renderApp(<App />, { url: '/apprenticeships/a1' });
    await screen.findByTestId('apprenticeship-summary');
    expect(screen.queryByRole('link', { name: /^Change the plan/ })).not.toBeInTheDocument();
  });
});

describe('the floor and the changes', () => {
  it('is 187 hours without a published minimum, and the minimum less prior learning but never below 187 with one', () => {
    expect(floorHours(null, 50)).toBe(187);
    expect(floorHours(400, 100)).toBe(300);
    expect(floorHours(250, 100)).toBe(187);
    expect(floorText(null, 0)).toMatch(/^At least 187 hours: the standard publishes no minimum/);
    expect(floorText(250, 100)).toMatch(/never allow fewer than 187, even though the standard's minimum of 250 hours less 100 hours .* would be 150\.$/);
  });

  it('leaves out what did not change', () => {
    const a = makeApprenticeship({ planned_otj_hours: 400 });
    expect(changesOf(draftOf(a), a)).toEqual({});
    expect(changesOf({ ...draftOf(a), planned_otj_hours: ' 410 ', expected_end_date: '2027-09-30' }, a)).toEqual({ planned_otj_hours: 410, expected_end_date: '2027-09-30' });
  });
});
