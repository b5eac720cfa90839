import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { OtjSummary, ProgressReview, ReviewInput } from '../../api/types';
import { App } from '../../App';
import { json, makeCoverage, problem, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

beforeEach(() => session.start(tokens({ user: { id: 't', email: 't@x', name: 'Tess Tutor', role: 'provider', organisation_id: 'o', active: true, created_at: '2026-01-01T00:00:00Z' } })));
afterEach(() => vi.unstubAllGlobals());

const otj: OtjSummary = { planned_minutes: 24_000, rpl_reduction_minutes: 0, floor_minutes: 11_220, approved_minutes: 90, pending_minutes: 30, expected_by_now_minutes: 6_000, status: 'behind' };

const previous: ProgressReview = {
  id: 'r0',
  apprenticeship_id: 'a1',
  held_on: '2026-05-01',
  previous_actions: '',
  progress_notes: 'First review.',
  concerns: '',
  next_actions: [{ action: 'Log two observations', owner: 'apprentice', due_on: '2026-06-01' }],
  snapshot: { totals: { ksbs: 94, not_started: 94, in_progress: 0, evidenced: 0, signed_off: 0 }, duties: [], otj },
  status: 'draft',
  content_sha256: 'a'.repeat(64),
  unsigned_overdue: false,
  signatures: [],
  version: 3,
  created_by: 't',
  created_at: '2026-05-01T09:00:00Z',
  updated_at: '2026-05-01T09:00:00Z',
};

function coverage() {
  const c = makeCoverage();
  c.totals = { ksbs: 94, not_started: 90, in_progress: 1, evidenced: 2, signed_off: 1 };
  return c;
}

function newReviewApi(post: (body: ReviewInput) => Response) {
  return mockApi({
    'GET /apprenticeships/a1/reviews': () => json({ items: [previous], total: 1, limit: 50, offset: 0 }),
    'GET /apprenticeships/a1/coverage': () => json(coverage()),
    'GET /apprenticeships/a1/otj/summary': () => json(otj),
    'POST /apprenticeships/a1/reviews': (req) => post(req.body as ReviewInput),
  });
}

describe('recording a progress review', () => {
  it('pre-fills the previous actions, previews the snapshot and sends the next actions', async () => {
    const user = userEvent.setup();
    const api = newReviewApi(() => json({ ...previous, id: 'r1' }, 201));
    renderApp(<App />, { url: '/apprenticeships/a1/reviews/new' });
    const previousField = await screen.findByLabelText('Actions from the previous review');
    expect(previousField).toHaveValue('Log two observations (Apprentice, by 1 June 2026)');
    const preview = screen.getByTestId('snapshot-preview');
    expect(within(preview).getByRole('row', { name: /Signed off 1 of 94/ })).toBeInTheDocument();
    expect(within(screen.getByTestId('snapshot-otj')).getByRole('row', { name: /Approved 1 hour 30 minutes/ })).toBeInTheDocument();

    await user.type(screen.getByLabelText('Date held'), '2026-08-01');
    await user.type(screen.getByLabelText('Progress'), 'Good progress on duty 2.');
    await user.type(screen.getByLabelText('Concerns'), 'None raised.');
    await user.click(screen.getByRole('button', { name: 'Add an action' }));
    expect(screen.getByLabelText('What is to be done (action 1)')).toHaveFocus();
    await user.type(screen.getByLabelText('What is to be done (action 1)'), 'Write a reflective account');
    await user.selectOptions(screen.getByLabelText('Who does it (action 1)'), 'apprentice');
    await user.type(screen.getByLabelText('Due by (action 1)'), '2026-09-01');
    await user.click(screen.getByRole('button', { name: 'Save review' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/apprenticeships/a1/reviews'));
    const sent = api.calls.find((c) => c.method === 'POST')?.body as ReviewInput;
    expect(sent).toEqual({
      held_on: '2026-08-01',
      previous_actions: 'Log two observations (Apprentice, by 1 June 2026)',
      progress_notes: 'Good progress on duty 2.',
      concerns: 'None raised.',
      next_actions: [{ action: 'Write a reflective account', owner: 'apprentice', due_on: '2026-09-01' }],
    });
  });

  it('asks for an action’s owner and due date before sending', async () => {
    const user = userEvent.setup();
    const api = newReviewApi(() => json({}, 201));
    renderApp(<App />, { url: '/apprenticeships/a1/reviews/new' });
    await user.click(await screen.findByRole('button', { name: 'Add an action' }));
    await user.click(screen.getByRole('button', { name: 'Save review' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Enter the date the review was held' })).toHaveAttribute('href', '#review-held-on');
    expect(within(summary).getByRole('link', { name: 'Choose who owns action 1' })).toHaveAttribute('href', '#review-action-0-owner');
    expect(api.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('shows the server’s field errors in the summary and at each field', async () => {
    const user = userEvent.setup();
    newReviewApi(() =>
      problem(422, {
        code: 'validation_failed',
        title: 'Validation failed',
        detail: 'held_on: must not be before the apprenticeship started (2025-09-01); next_actions[0].due_on: must not be before the review was held',
        errors: [
          { field: 'held_on', message: 'must not be before the apprenticeship started (2025-09-01)' },
          { field: 'next_actions[0].due_on', message: 'must not be before the review was held' },
        ],
      }),
    );
    renderApp(<App />, { url: '/apprenticeships/a1/reviews/new' });
    await user.type(await screen.findByLabelText('Date held'), '2025-01-01');
    await user.click(screen.getByRole('button', { name: 'Add an action' }));
    await user.type(screen.getByLabelText('What is to be done (action 1)'), 'Read the SOP');
    await user.selectOptions(screen.getByLabelText('Who does it (action 1)'), 'provider');
    await user.type(screen.getByLabelText('Due by (action 1)'), '2024-12-01');
    await user.click(screen.getByRole('button', { name: 'Save review' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Date held must not be before the apprenticeship started (2025-09-01)' })).toHaveAttribute('href', '#review-held-on');
    expect(within(summary).getByRole('link', { name: 'The due date of action 1 must not be before the review was held' })).toHaveAttribute('href', '#review-action-0-due');
    expect(screen.getByLabelText('Due by (action 1)')).toHaveAccessibleDescription(/Must not be before the review was held/);
  });
});

describe('editing a draft review', () => {
  it('sends the changes with If-Match and keeps the snapshot as taken', async () => {
    const user = userEvent.setup();
    const api = mockApi({
      'GET /reviews/r0': () => json(previous, 200, { etag: '"3"' }),
      'PATCH /reviews/r0': () => json({ ...previous, version: 4 }, 200, { etag: '"4"' }),
    });
    renderApp(<App />, { url: '/reviews/r0/edit' });
    const notes = await screen.findByLabelText('Progress');
    expect(notes).toHaveValue('First review.');
    expect(screen.getByText(/editing the review does not change it/)).toBeInTheDocument();
    await user.type(notes, ' Added later.');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(api.calls.some((c) => c.method === 'PATCH')).toBe(true));
    const patch = api.calls.find((c) => c.method === 'PATCH');
    expect(patch?.headers['If-Match']).toBe('"3"');
    expect((patch?.body as ReviewInput).progress_notes).toBe('First review. Added later.');
  });

  it('refuses to edit a review someone has signed', async () => {
    mockApi({
      'GET /reviews/r0': () =>
        json({
          ...previous,
          status: 'awaiting_signatures',
          signatures: [{ id: 's', role: 'apprentice', signer: { id: 'p', name: 'Ada' }, signed_at: '2026-05-02T10:00:00Z', content_sha256: 'a'.repeat(64), valid: true }],
        }),
    });
    renderApp(<App />, { url: '/reviews/r0/edit' });
    expect(await screen.findByText(/can no longer be changed/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save changes' })).not.toBeInTheDocument();
  });
});
