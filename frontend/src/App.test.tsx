import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from './api/session';
import { App } from './App';
import { apprenticeUser, json, makeStandard, problem, tokens } from './test/fixtures';
import { mockApi } from './test/mockApi';
import { renderApp } from './test/render';

const evidencePage = {
  items: [
    {
      id: 'e1',
      apprenticeship_id: 'a1',
      title: 'Calibrated the analyser',
      description: 'Daily QC',
      kind: 'observation',
      occurred_on: '2026-01-10',
      ksbs: ['S7'],
      status: 'draft',
      created_at: '2026-01-10T09:00:00Z',
      updated_at: '2026-01-10T09:00:00Z',
      reviews: [],
    },
  ],
  total: 1,
  limit: 25,
  offset: 0,
};

beforeEach(() => session.clear());
afterEach(() => vi.unstubAllGlobals());

describe('signing in', () => {
  it('an unsigned visitor is sent to sign in and comes back to the page they asked for', async () => {
    const user = userEvent.setup();
    const api = mockApi({
      'POST /auth/login': () => json(tokens()),
      'GET /apprenticeships/a1/evidence': () => json(evidencePage),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/evidence' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/sign-in?next=%2Fapprenticeships%2Fa1%2Fevidence');

    await user.type(screen.getByLabelText('Email address'), 'ada@example.nhs.uk');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('link', { name: 'Calibrated the analyser' })).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/apprenticeships\/a1\/evidence$/);
    expect(api.calls.find((c) => c.path === '/auth/login')?.body).toEqual({ email: 'ada@example.nhs.uk', password: 'correct horse' });
    expect(screen.getByTestId('signed-in-as')).toHaveTextContent('Ada Apprentice');
  });

  it('empty fields are caught before any request, in a linked error summary', async () => {
    const user = userEvent.setup();
    const api = mockApi({});
    renderApp(<App />, { url: '/sign-in' });
    await user.click(await screen.findByRole('button', { name: 'Sign in' }));
    const summary = screen.getByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Enter your email address' })).toHaveAttribute('href', '#email');
    expect(within(summary).getByRole('link', { name: 'Enter your password' })).toHaveAttribute('href', '#password');
    expect(api.fetchMock).not.toHaveBeenCalled();
  });

  it('wrong credentials and throttling are explained', async () => {
    const user = userEvent.setup();
    let attempts = 0;
    mockApi({
      'POST /auth/login': () => {
        attempts += 1;
        return attempts === 1
          ? problem(401, { code: 'invalid_credentials', detail: 'Invalid credentials' })
          : problem(429, { code: 'too_many_requests', detail: 'Too many sign-in attempts.' }, { 'retry-after': '60' });
      },
    });
    renderApp(<App />, { url: '/sign-in' });
    await user.type(await screen.findByLabelText('Email address'), 'ada@example.nhs.uk');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText(/email address or password is not right/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Too many sign-in attempts. Try again in 60 seconds.')).toBeInTheDocument();
  });
});

describe('session expiry', () => {
  it('a 401 with a dead refresh token ends the session and returns the user after signing in again', async () => {
    const user = userEvent.setup();
    session.start(tokens());
    let signedInAgain = false;
    mockApi({
      'GET /apprenticeships/a1/evidence': () => (signedInAgain ? json(evidencePage) : problem(401, { code: 'token_expired' })),
      'POST /auth/refresh': () => problem(401, { code: 'refresh_token_invalid' }),
      'POST /auth/login': () => {
        signedInAgain = true;
        return json(tokens({ access_token: 'access-9' }));
      },
    });
    renderApp(<App />, { url: '/apprenticeships/a1/evidence?status=draft' });
    expect(await screen.findByText(/Your session has ended/)).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/sign-in?next=%2Fapprenticeships%2Fa1%2Fevidence%3Fstatus%3Ddraft&expired=1');

    await user.type(screen.getByLabelText('Email address'), apprenticeUser.email);
    await user.type(screen.getByLabelText('Password'), 'again');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/apprenticeships\/a1\/evidence\?status=draft$/));
    expect(await screen.findByRole('link', { name: 'Calibrated the analyser' })).toBeInTheDocument();
  });

  it('a browser that signed in before is signed back in quietly through the refresh cookie after a reload', async () => {
    window.localStorage.setItem('ksbfolio.signed_in', '1');
    const api = mockApi({
      'POST /auth/refresh': () => json(tokens({ refresh_token: 'refresh-new' })),
      'GET /apprenticeships/a1/evidence': () => json(evidencePage),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/evidence' });
    expect(await screen.findByRole('link', { name: 'Calibrated the analyser' })).toBeInTheDocument();
    expect(api.calls.filter((c) => c.path === '/auth/refresh')).toHaveLength(1);
    expect(session.mayResume()).toBe(true);
    expect(api.calls.find((c) => c.path === '/auth/refresh')?.body).toEqual({});
  });
});

describe('roles', () => {
  it('a page for another role says so instead of loading', async () => {
    session.start(tokens());
    mockApi({});
    renderApp(<App />, { url: '/caseload' });
    expect(await screen.findByRole('heading', { level: 1, name: 'You do not have access to this page' })).toBeInTheDocument();
  });

  it('the apprentice navigation has a skip link, landmarks and their own links', async () => {
    session.start(tokens());
    mockApi({ 'GET /apprenticeships': () => json({ items: [], total: 0, limit: 10, offset: 0 }), 'GET /standards/ST0220': () => json(makeStandard()) });
    renderApp(<App />, { url: '/progress' });
    expect(await screen.findByText(/not enrolled on an apprenticeship yet/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Skip to main content' })).toHaveAttribute('href', '#maincontent');
    expect(screen.getByRole('main')).toHaveAttribute('id', 'maincontent');
    const menu = screen.getByRole('navigation', { name: 'Menu' });
    expect(within(menu).getAllByRole('link').map((l) => l.textContent)).toEqual(['My progress', 'My evidence', 'Add evidence', 'Inbox']);
    expect(screen.getByRole('contentinfo')).toBeInTheDocument();
  });
});
