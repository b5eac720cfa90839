import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { CaseloadItem, ReviewStanding } from '../../api/types';
import { App } from '../../App';
import { json, makeStandard, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

function row(name: string, standing: Partial<ReviewStanding>): CaseloadItem {
  return {
    apprenticeship_id: `a-${name}`,
    apprentice: { id: `p-${name}`, name },
    start_date: '2026-01-05',
    expected_end_date: '2028-01-05',
    totals: { ksbs: 94, signed_off: 0, evidenced: 0, in_progress: 0, not_started: 94 },
    percent_evidenced: 0,
    percent_signed_off: 0,
    duties: [],
    last_activity_at: new Date().toISOString(),
    plan_status: 'green',
    points_behind: 0,
    last_review_on: null,
    next_review_due_by: '2026-04-30',
    review_state: 'on_time',
    unsigned_reviews: 0,
    unsigned_overdue: false,
    on_break: false,
    waiting_on: null,
    waiting_days: null,
    ...standing,
  };
}

beforeEach(() => session.start(tokens({ user: { id: 't', email: 't@x', name: 'Tess Tutor', role: 'provider', organisation_id: 'o', active: true, created_at: '2026-01-01T00:00:00Z' } })));
afterEach(() => vi.unstubAllGlobals());

describe('caseload review standing', () => {
  it('shows each apprentice’s review state, due date and unsigned reviews, and filters on them', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /standards/ST0220': () => json(makeStandard()),
      'GET /caseload': () =>
        json({
          items: [row('Late Lee', { review_state: 'overdue', next_review_due_by: '2026-04-30' }), row('Unsigned Uma', { unsigned_reviews: 1, next_review_due_by: '2026-10-31' }), row('Fine Fay', {})],
          total: 3,
          limit: 200,
          offset: 0,
        }),
    });
    renderApp(<App />, { url: '/caseload' });
    const table = await screen.findByRole('table', { name: /caseload/i });
    const lee = within(table).getByRole('row', { name: /Late Lee/ });
    expect(within(lee).getByText('Review overdue')).toBeInTheDocument();
    expect(within(lee).getByText('Due by 30 April 2026')).toBeInTheDocument();
    expect(within(within(table).getByRole('row', { name: /Unsigned Uma/ })).getByText('1 unsigned review')).toBeInTheDocument();
    const names = () => within(screen.getByRole('table', { name: /caseload/i })).getAllByRole('rowheader').map((h) => within(h).getByRole('link').textContent);

    await user.selectOptions(screen.getByLabelText('Progress review'), 'overdue');
    expect(names()).toEqual(['Late Lee']);
    await user.selectOptions(screen.getByLabelText('Progress review'), '');
    await user.click(screen.getByLabelText('Unsigned reviews only'));
    expect(names()).toEqual(['Unsigned Uma']);
    expect(screen.getByText('Showing 1 of 3 of your apprentices')).toBeInTheDocument();
  });
});
