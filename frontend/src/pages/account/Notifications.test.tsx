import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import { App } from '../../App';
import { json, problem, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

afterEach(() => vi.unstubAllGlobals());

const signedOut = { 'POST /auth/refresh': () => problem(401, { code: 'unauthorized' }) };
const settings = (delivery: string, chosen = false) => json({ delivery, default: 'daily_digest', chosen });

describe('sign-in links and notification settings', () => {
  it('the sign-in page emails a sign-in link and says so the same way for every address', async () => {
    const user = userEvent.setup();
    session.clear();
    const { calls } = mockApi({
      ...signedOut,
      'POST /auth/sign-in-link': () => json({ detail: 'If this e-mail address has an account, a sign-in link is on its way.' }, 202),
    });
    renderApp(<App />, { url: '/sign-in' });
    await user.click(await screen.findByRole('button', { name: 'Email me a sign-in link' }));
    expect((await screen.findAllByText('Enter your email address to get a sign-in link')).length).toBeGreaterThan(0);
    await user.type(screen.getByLabelText('Email address'), 'mentor@example.nhs.uk');
    await user.click(screen.getByRole('button', { name: 'Email me a sign-in link' }));
    expect(await screen.findByTestId('sign-in-link-sent')).toHaveTextContent(/a sign-in link is on its way/);
    expect(calls.find((c) => c.path === '/auth/sign-in-link')?.body).toEqual({ email: 'mentor@example.nhs.uk' });
  });

  it('a link from an email signs in when asked and lands on its item', async () => {
    const user = userEvent.setup();
    session.clear();
    const { calls } = mockApi({
      ...signedOut,
      'POST /auth/sign-in-link/redeem': () => json(tokens({ next: '/account/notifications' })),
      'GET /me/notifications': () => settings('daily_digest'),
    });
    renderApp(<App />, { url: '/sign-in/link?token=tok123&next=%2Faccount%2Fnotifications' });
    expect(calls.some((c) => c.path === '/auth/sign-in-link/redeem')).toBe(false);
    await user.click(await screen.findByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('heading', { name: 'Notifications' })).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/auth/sign-in-link/redeem')?.body).toEqual({ token: 'tok123' });
  });

  it('a spent link sends the person to sign in, still headed for the item', async () => {
    const user = userEvent.setup();
    session.clear();
    mockApi({ ...signedOut, 'POST /auth/sign-in-link/redeem': () => problem(401, { code: 'unauthorized', detail: 'not valid' }) });
    renderApp(<App />, { url: '/sign-in/link?token=old&next=%2Fevidence%2Fe1' });
    await user.click(await screen.findByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('heading', { name: 'This sign-in link does not work any more' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in?next=%2Fevidence%2Fe1');
  });

  it('a person chooses a daily summary on the notifications page', async () => {
    const user = userEvent.setup();
    session.start(tokens());
    const { calls } = mockApi({
      'GET /me/notifications': () => settings('immediate'),
      'PUT /me/notifications': () => settings('daily_digest', true),
    });
    renderApp(<App />, { url: '/account/notifications' });
    expect(await screen.findByLabelText('An email for each thing')).toBeChecked();
    expect(screen.getByText(/usual choice is/)).toHaveTextContent('one email a day');
    await user.click(screen.getByLabelText('One email a day'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByTestId('notifications-saved')).toHaveTextContent('Your choice is saved.');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ delivery: 'daily_digest' });
    expect(screen.getByLabelText('One email a day')).toBeChecked();
  });
});
