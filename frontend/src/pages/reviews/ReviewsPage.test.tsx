import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { ProgressReview, Role } from '../../api/types';
import { App } from '../../App';
import { json, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';
import { signingRole } from './ReviewsPage';

function signInAs(role: Role) {
  session.start(tokens({ user: { id: 'u', email: 'u@x', name: 'Someone', role, organisation_id: role === 'admin' ? null : 'o', active: true, created_at: '2026-01-01T00:00:00Z' } }));
}

afterEach(() => vi.unstubAllGlobals());

const review: ProgressReview = {
  id: 'r1',
  apprenticeship_id: 'a1',
  held_on: '2026-08-01',
  previous_actions: '',
  progress_notes: 'Good progress on duty 3.',
  concerns: '',
  next_actions: [{ action: 'Log two observations', owner: 'apprentice', due_on: '2026-09-01' }],
  snapshot: {
    totals: { ksbs: 94, not_started: 90, in_progress: 2, evidenced: 2, signed_off: 0 },
    duties: [],
    otj: { planned_minutes: null, rpl_reduction_minutes: 0, floor_minutes: 11_220, approved_minutes: 0, pending_minutes: 0, expected_by_now_minutes: 0, status: 'no_plan' },
  },
  status: 'awaiting_signatures',
  content_sha256: 'a'.repeat(64),
  unsigned_overdue: true,
  signatures: [
    { id: 's0', role: 'apprentice', signer: { id: 'p', name: 'Ada Apprentice' }, signed_at: '2026-08-01T10:00:00Z', content_sha256: 'b'.repeat(64), valid: false, voided_at: '2026-08-02T10:00:00Z', void_reason: 'Wrong date' },
    { id: 's1', role: 'provider', signer: { id: 't', name: 'Tess Tutor' }, signed_at: '2026-08-03T10:00:00Z', content_sha256: 'a'.repeat(64), valid: true },
  ],
  version: 2,
  created_by: 't',
  created_at: '2026-08-01T09:00:00Z',
  updated_at: '2026-08-02T09:00:00Z',
};

const page = json({ items: [review], total: 1, limit: 50, offset: 0 });

describe('progress reviews', () => {
  it('each party signs in its own role and administrators not at all', () => {
    expect(signingRole('apprentice')).toBe('apprentice');
    expect(signingRole('employer')).toBe('employer');
    expect(signingRole('provider')).toBe('provider');
    expect(signingRole('admin')).toBeNull();
  });

  it('lets the apprentice sign again after a void signature, and says the review is overdue for signing', async () => {
    signInAs('apprentice');
    const user = userEvent.setup();
    const api = mockApi({ 'GET /apprenticeships/a1/reviews': () => page.clone(), 'POST /reviews/r1/sign': () => json({}, 201) });
    renderApp(<App />, { url: '/apprenticeships/a1/reviews' });
    expect(await screen.findByText('Unsigned for over 14 days')).toBeInTheDocument();
    expect(screen.getByText(/Ada Apprentice.*void since 2 August 2026 at \d\d:\d\d: Wrong date/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Sign as apprentice/ }));
    await waitFor(() => expect(api.calls.some((c) => c.method === 'POST' && c.path === '/reviews/r1/sign')).toBe(true));
  });

  it('offers no second signature to a role that has signed', async () => {
    signInAs('provider');
    mockApi({ 'GET /apprenticeships/a1/reviews': () => page.clone() });
    renderApp(<App />, { url: '/apprenticeships/a1/reviews' });
    expect(await screen.findByText('Waiting for signatures')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Sign as/ })).not.toBeInTheDocument();
  });

  it('offers the provider a new review and the edit of an unsigned draft, and the apprentice neither', async () => {
    signInAs('provider');
    const draft = { ...review, id: 'r2', status: 'draft' as const, signatures: [] };
    mockApi({ 'GET /apprenticeships/a1/reviews': () => json({ items: [draft], total: 1, limit: 50, offset: 0 }) });
    const { unmount } = renderApp(<App />, { url: '/apprenticeships/a1/reviews' });
    expect(await screen.findByRole('link', { name: 'Record a progress review' })).toHaveAttribute('href', '/apprenticeships/a1/reviews/new');
    expect(await screen.findByRole('link', { name: /Edit this review/ })).toHaveAttribute('href', '/reviews/r2/edit');
    unmount();
    signInAs('apprentice');
    renderApp(<App />, { url: '/apprenticeships/a1/reviews' });
    await screen.findByText('Draft');
    expect(screen.queryByRole('link', { name: 'Record a progress review' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Edit this review/ })).not.toBeInTheDocument();
  });
});
