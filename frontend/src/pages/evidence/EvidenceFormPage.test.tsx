import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { Evidence } from '../../api/types';
import { App } from '../../App';
import { json, makeStandard, problem, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';
import { validateEvidence } from './validate';

const created: Evidence = {
  id: 'e9',
  apprenticeship_id: 'a1',
  title: 'Daily QC on the blood gas analyser',
  description: 'Ran QC and recalibrated.',
  kind: 'observation',
  occurred_on: '2026-01-10',
  ksbs: ['S7'],
  status: 'draft',
  version: 1,
  created_at: '2026-01-10T09:00:00Z',
  updated_at: '2026-01-10T09:00:00Z',
  reviews: [],
};

beforeEach(() => session.start(tokens()));
afterEach(() => vi.unstubAllGlobals());

async function fillForm(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByLabelText('Title'), created.title);
  await user.type(screen.getByLabelText(/What did you do/), created.description);
  await user.selectOptions(screen.getByLabelText('Type of evidence'), 'observation');
  await user.type(screen.getByLabelText('Date it happened'), '2026-01-10');
  await user.type(screen.getByLabelText('Search KSBs'), 'S7');
  await user.click(screen.getByRole('checkbox', { name: /S7/ }));
}

describe('add evidence', () => {
  it('lists every missing answer in the error summary, linked to its field', async () => {
    const user = userEvent.setup();
    const api = mockApi({ 'GET /standards/ST0220': () => json(makeStandard()) });
    renderApp(<App />, { url: '/apprenticeships/a1/evidence/new' });
    await user.click(await screen.findByRole('button', { name: 'Save as draft' }));
    const summary = screen.getByRole('alert');
    const links = within(summary).getAllByRole('link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual([
      '#evidence-title',
      '#evidence-description',
      '#evidence-kind',
      '#evidence-occurred-on',
      '#evidence-ksbs',
    ]);
    expect(api.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('saves and submits S7 evidence, then shows it', async () => {
    const user = userEvent.setup();
    const api = mockApi({
      'GET /standards/ST0220': () => json(makeStandard()),
      'POST /apprenticeships/a1/evidence': () => json(created, 201),
      'POST /evidence/e9/submit': () => json({ ...created, status: 'submitted' }),
      'GET /evidence/e9': () => json({ ...created, status: 'submitted' }, 200, { etag: '"v2"' }),
      'GET /evidence/e9/attachments': () => json({ items: [] }),
      'GET /evidence/e9/comments': () => json({ items: [] }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/evidence/new' });
    await fillForm(user);
    await user.click(screen.getByRole('button', { name: 'Save and submit for review' }));
    expect(await screen.findByText('Your evidence has been submitted for review.')).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/evidence/e9');
    const post = api.calls.find((c) => c.method === 'POST' && c.path === '/apprenticeships/a1/evidence');
    expect(post?.body).toEqual({
      title: created.title,
      description: created.description,
      kind: 'observation',
      occurred_on: '2026-01-10',
      ksbs: ['S7'],
    });
    expect(api.calls.some((c) => c.path === '/evidence/e9/submit')).toBe(true);
  });

  it('shows the server’s refusal of an NHS number and keeps what was typed', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /standards/ST0220': () => json(makeStandard()),
      'POST /apprenticeships/a1/evidence': () =>
        // The server's answer, as ksbfolio sends it.
        problem(422, {
          type: 'urn:ksbfolio:problem:validation_failed',
          title: 'Unprocessable Entity',
          code: 'validation_failed',
          detail:
            'description contain(s) what looks like an NHS number (10 digits with a valid check digit). Evidence must never carry patient data.',
          errors: [{ field: 'description', message: 'contains an NHS number; portfolios must never hold patient identifiers' }],
        }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/evidence/new' });
    await fillForm(user);
    await user.click(screen.getByRole('button', { name: 'Save as draft' }));
    const summary = await screen.findByRole('alert');
    expect(summary).toHaveTextContent('looks like an NHS number');
    expect(within(summary).getByRole('link', { name: /^Description contains an NHS number/ })).toHaveAttribute('href', '#evidence-description');
    await waitFor(() => expect(screen.getByLabelText(/What did you do/)).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText('Title')).toHaveValue(created.title);
  });
});

describe('edit evidence', () => {
  it('sends If-Match with the ETag and explains a 412', async () => {
    const user = userEvent.setup();
    const api = mockApi({
      'GET /standards/ST0220': () => json(makeStandard()),
      'GET /evidence/e9': () =>
        json({ ...created, status: 'changes_requested', feedback: 'Add the QC lot number.' }, 200, { etag: '"v3"' }),
      'PATCH /evidence/e9': () => problem(412, { code: 'precondition_failed', detail: 'Stale.' }),
    });
    renderApp(<App />, { url: '/evidence/e9/edit' });
    expect(await screen.findByText('Add the QC lot number.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Title'), ' (lot 42)');
    await user.click(screen.getByRole('button', { name: 'Save and resubmit' }));
    expect(await screen.findByText(/changed somewhere else after you opened it/)).toBeInTheDocument();
    const patch = api.calls.find((c) => c.method === 'PATCH');
    expect(patch?.headers['If-Match']).toBe('"v3"');
    expect(api.calls.some((c) => c.path === '/evidence/e9/submit')).toBe(false);
  });
});

describe('validateEvidence', () => {
  it('refuses a date in the future', () => {
    const errors = validateEvidence(
      { title: 'x', description: 'y', kind: 'other', occurred_on: '2026-02-01', ksbs: ['S7'] },
      '2026-01-31',
    );
    expect(errors).toEqual({ occurred_on: 'The date must be today or in the past' });
  });
});
