import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { CaseloadItem } from '../../api/types';
import { App } from '../../App';
import { json, makeStandard, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

const day = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * day).toISOString().slice(0, 10);

function row(name: string, signedOff: number, lastActivityDaysAgo: number): CaseloadItem {
  // What the server sends with half the period elapsed: the evidenced share 50 points minus.
  const pointsBehind = 50 - (signedOff * 100) / 94;
  return {
    apprenticeship_id: `a-${name}`,
    apprentice: { id: `p-${name}`, name },
    start_date: iso(-365),
    expected_end_date: iso(365), // half the period has elapsed
    totals: { ksbs: 94, signed_off: signedOff, evidenced: 0, in_progress: 0, not_started: 94 - signedOff },
    percent_evidenced: (signedOff / 94) * 100,
    percent_signed_off: (signedOff / 94) * 100,
    duties: [
      { code: 'D1', percent_evidenced: 80, percent_signed_off: 60 },
      { code: 'D2', percent_evidenced: 30, percent_signed_off: 7.69 },
    ],
    last_activity_at: new Date(Date.now() - lastActivityDaysAgo * day).toISOString(),
    plan_status: pointsBehind > 20 ? 'red' : pointsBehind > 10 ? 'amber' : 'green',
    points_behind: pointsBehind,
    last_review_on: null,
    next_review_due_by: '2026-03-31',
    review_state: 'on_time',
    unsigned_reviews: 0,
    unsigned_overdue: false,
    on_break: false,
    waiting_on: null,
    waiting_days: null,
  };
}

beforeEach(() => session.start(tokens({ user: { id: 't', email: 't@x', name: 'Tess Tutor', role: 'provider', organisation_id: 'o', active: true, created_at: '2026-01-01T00:00:00Z' } })));
afterEach(() => vi.unstubAllGlobals());

describe('caseload', () => {
  it('prints the per-duty numbers in the heatmap, the plan in words and the flags', async () => {
    mockApi({
      'GET /standards/ST0220': () => json(makeStandard()),
      'GET /caseload': () => json({ items: [row('Ahead Amy', 60, 2), { ...row('Behind Ben', 5, 45), waiting_on: 'employer', waiting_days: 12 }], total: 2, limit: 200, offset: 0 }),
    });
    renderApp(<App />, { url: '/caseload' });
    const table = await screen.findByRole('table', { name: /caseload/i });
    const ben = within(table).getByRole('row', { name: /Behind Ben/ });
    expect(within(ben).getByTestId('waiting-on')).toHaveTextContent('Waiting on the employer for 12 days');
    expect(within(ben).getByText('Red')).toHaveClass('nhsuk-tag--red');
    expect(within(ben).getByText('45 points behind')).toBeInTheDocument();
    expect(within(ben).getByText('No recent activity')).toBeInTheDocument();
    expect(within(ben).getByText('45 days ago')).toBeInTheDocument();
    const cells = within(ben).getAllByRole('cell');
    expect(cells.map((c) => c.textContent)).toContain('D2 8%'); // D2 7.69 → 8, shaded and written, named on a phone
    expect(cells.find((c) => c.textContent === 'D1 60%')).toHaveClass('app-heat--3');
    const amy = within(table).getByRole('row', { name: /Ahead Amy/ });
    expect(within(amy).getByText('Green')).toBeInTheDocument();
    expect(within(amy).getAllByRole('cell')[1]).toHaveTextContent('Flags None');
    expect(within(amy).getByText('2 days ago')).toBeInTheDocument();
    // Each row links to the page that changes its plan, people and expected end.
    expect(within(amy).getByRole('link', { name: /^Change\s*the plan, people or expected end of Ahead Amy$/ })).toHaveAttribute('href', '/apprenticeships/a-Ahead Amy/change');
    // The thresholds are written on the page, and the flags come before the duty columns.
    expect(screen.getByTestId('plan-thresholds')).toHaveTextContent('Red: more than 20 percentage points behind');
    expect(screen.getByTestId('plan-thresholds')).toHaveTextContent('Amber: more than 10 and up to 20 points behind');
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers.indexOf('Flags')).toBeLessThan(headers.indexOf('D1'));
  });

  it('groups by stage: new, near end and past expected end', async () => {
    const user = userEvent.setup();
    const starting = { ...row('New Nia', 0, 1), start_date: iso(-3), expected_end_date: iso(700) };
    const ending = { ...row('Ending Eve', 90, 1), start_date: iso(-700), expected_end_date: iso(20) };
    const late = { ...row('Late Lou', 90, 1), start_date: iso(-800), expected_end_date: iso(-5) };
    mockApi({
      'GET /standards/ST0220': () => json(makeStandard()),
      'GET /caseload': () => json({ items: [starting, ending, late, row('Mid Max', 50, 1)], total: 4, limit: 200, offset: 0 }),
    });
    renderApp(<App />, { url: '/caseload' });
    const table = await screen.findByRole('table', { name: /caseload/i });
    expect(within(within(table).getByRole('row', { name: /Ending Eve/ })).getByText('Ends in 20 days')).toBeInTheDocument();
    expect(within(within(table).getByRole('row', { name: /Late Lou/ })).getByText('Past expected end')).toBeInTheDocument();
    const stage = screen.getByLabelText('Stage');
    expect(within(stage).getByRole('option', { name: 'New (started in the last 30 days): 1' })).toBeInTheDocument();
    await user.selectOptions(stage, 'near_end');
    const names = within(screen.getByRole('table', { name: /caseload/i })).getAllByRole('rowheader').map((h) => h.textContent);
    expect(names).toEqual(['Apprentice Ending Eve']);
  });

  it('filters to apprentices behind plan and sorts by name', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /standards/ST0220': () => json(makeStandard()),
      'GET /caseload': () => json({ items: [row('Cara', 10, 1), row('Amy', 60, 1), row('Ben', 5, 1)], total: 3, limit: 200, offset: 0 }),
    });
    renderApp(<App />, { url: '/caseload' });
    const table = await screen.findByRole('table', { name: /caseload/i });
    await user.click(within(table).getByRole('button', { name: /Apprentice/ }));
    const names = () => within(screen.getByRole('table', { name: /caseload/i })).getAllByRole('rowheader').map((h) => h.textContent.replace(/^Apprentice /, ''));
    expect(names()).toEqual(['Amy', 'Ben', 'Cara']);
    expect(within(table).getByRole('columnheader', { name: /Apprentice/ })).toHaveAttribute('aria-sort', 'ascending');
    await user.click(screen.getByLabelText('Behind plan only'));
    expect(names()).toEqual(['Ben', 'Cara']);
    expect(screen.getByText('Showing 2 of 3 of your apprentices')).toBeInTheDocument();
  });
});
