import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { ProgressReview, Role } from '../../api/types';
import { App } from '../../App';
import { json, problem, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

function signInAs(role: Role) {
  session.start(tokens({ user: { id: 'u', email: 'u@x', name: 'Someone', role, organisation_id: 'o', active: true, created_at: '2026-01-01T00:00:00Z' } }));
}

beforeEach(() => signInAs('provider'));
afterEach(() => vi.unstubAllGlobals());

const signature = (role: 'apprentice' | 'employer' | 'provider', name: string) => ({
  id: `s-${role}`,
  role,
  signer: { id: `p-${role}`, name },
  signed_at: '2026-08-02T10:00:00Z',
  content_sha256: 'a'.repeat(64),
  valid: true,
});

const signed: ProgressReview = {
  id: 'r1',
  apprenticeship_id: 'a1',
  held_on: '2026-08-01',
  previous_actions: '',
  progress_notes: 'Good progress.',
  concerns: '',
  next_actions: [],
  snapshot: {
    totals: { ksbs: 94, not_started: 90, in_progress: 2, evidenced: 2, signed_off: 0 },
    duties: [],
    otj: { planned_minutes: null, rpl_reduction_minutes: 0, floor_minutes: 11_220, approved_minutes: 0, pending_minutes: 0, expected_by_now_minutes: 0, status: 'no_plan' },
  },
  status: 'signed',
  content_sha256: 'a'.repeat(64),
  unsigned_overdue: false,
  signatures: [signature('apprentice', 'Ada Apprentice'), signature('employer', 'Mo Mentor'), signature('provider', 'Tess Tutor')],
  version: 2,
  created_by: 't',
  created_at: '2026-08-01T09:00:00Z',
  updated_at: '2026-08-02T09:00:00Z',
};

const reopened: ProgressReview = {
  ...signed,
  status: 'draft',
  signatures: signed.signatures.map((s) => ({ ...s, valid: false, voided_at: '2026-08-05T10:00:00Z', voided_by: 'u', void_reason: 'The held date was wrong' })),
};

describe('reopening a signed review', () => {
  it('says what reopening does, sends the reason, and shows the signatures as void with focus on the confirmation', async () => {
    const user = userEvent.setup();
    let current = signed;
    const api = mockApi({
      'GET /apprenticeships/a1/reviews': () => json({ items: [current], total: 1, limit: 50, offset: 0 }),
      'POST /reviews/r1/reopen': () => {
        current = reopened;
        return json(reopened);
      },
    });
    renderApp(<App />, { url: '/apprenticeships/a1/reviews' });
    const card = await screen.findByTestId('review');
    await user.click(within(card).getByText('Reopen this review', { selector: 'summary *', exact: false }));
    expect(within(card).getByText(/voids every signature on it: they stay in the record, marked void with your reason/)).toBeInTheDocument();
    expect(within(card).getByText(/returns the review to draft/)).toBeInTheDocument();
    await user.type(within(card).getByLabelText('Why must the signed review change?'), ' The held date was wrong ');
    await user.click(within(card).getByRole('button', { name: /^Reopen this review\s*held on 1 August 2026$/ }));

    const done = await screen.findByTestId('review-reopened');
    expect(done).toHaveTextContent(
      'Review held on 1 August 2026 reopened. The 3 signatures of the apprentice (Ada Apprentice), employer (Mo Mentor), training provider (Tess Tutor) are now void: kept in the record, marked void with your reason. The review is a draft again',
    );
    expect(done).toHaveFocus();
    const post = api.calls.find((c) => c.method === 'POST');
    expect(post?.path).toBe('/reviews/r1/reopen');
    expect(post?.body).toEqual({ reason: 'The held date was wrong' });
    // Reopening creates nothing: the server takes no Idempotency-Key on it.
    expect(post?.headers['Idempotency-Key']).toBeUndefined();
    const lines = within(screen.getByTestId('signatures')).getAllByRole('listitem');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toHaveTextContent(/^Void/);
      expect(line).toHaveTextContent(/void since 5 August 2026 at \d\d:\d\d: The held date was wrong\)$/);
    }
    expect(within(card).getByText('Draft')).toBeInTheDocument();
    expect(within(card).getByRole('link', { name: /Edit this review/ })).toHaveAttribute('href', '/reviews/r1/edit');
    expect(within(card).queryByText('Reopen this review', { selector: 'summary *', exact: false })).not.toBeInTheDocument();
  });

  it('asks for a reason before sending, and shows the server’s refusal', async () => {
    const user = userEvent.setup();
    const api = mockApi({
      'GET /apprenticeships/a1/reviews': () => json({ items: [signed], total: 1, limit: 50, offset: 0 }),
      'POST /reviews/r1/reopen': () => problem(409, { code: 'conflict', title: 'Conflict', detail: 'Nobody has signed this review; there is nothing to reopen.' }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/reviews' });
    const card = await screen.findByTestId('review');
    await user.click(within(card).getByText('Reopen this review', { selector: 'summary *', exact: false }));
    await user.click(within(card).getByRole('button', { name: /^Reopen this review/ }));
    const summary = await within(card).findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Say why the signed review must change' })).toHaveAttribute('href', '#reopen-reason-r1');
    expect(api.calls.some((c) => c.method === 'POST')).toBe(false);
    await user.type(within(card).getByLabelText('Why must the signed review change?'), 'Wrong date');
    await user.click(within(card).getByRole('button', { name: /^Reopen this review/ }));
    await within(card).findByText('Nobody has signed this review; there is nothing to reopen.');
  });

  it('is offered to the provider only, and only once someone has signed', async () => {
    const draft = { ...signed, id: 'r2', status: 'draft' as const, signatures: [] };
    mockApi({ 'GET /apprenticeships/a1/reviews': () => json({ items: [signed, draft], total: 2, limit: 50, offset: 0 }) });
    const { unmount } = renderApp(<App />, { url: '/apprenticeships/a1/reviews' });
    const cards = await screen.findAllByTestId('review');
    expect(within(cards[0] as HTMLElement).getByText('Reopen this review', { selector: 'summary *', exact: false })).toBeInTheDocument();
    expect(within(cards[1] as HTMLElement).queryByText('Reopen this review', { selector: 'summary *', exact: false })).not.toBeInTheDocument();
    unmount();
    signInAs('employer');
    renderApp(<App />, { url: '/apprenticeships/a1/reviews' });
    await waitFor(() => expect(screen.getAllByTestId('review')).toHaveLength(2));
    expect(screen.queryByText('Reopen this review', { selector: 'summary *', exact: false })).not.toBeInTheDocument();
  });
});
