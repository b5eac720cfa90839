import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import { App } from '../../App';
import { json, problem, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

afterEach(() => vi.unstubAllGlobals());

const noContent = () => new Response(null, { status: 204 });

describe('passwords', () => {
  it('a signed-in person changes their password and is told the other sessions ended', async () => {
    const user = userEvent.setup();
    session.start(tokens());
    const { calls } = mockApi({ 'POST /me/password': noContent });
    renderApp(<App />, { url: '/account/password' });
    await user.type(await screen.findByLabelText('Current password'), 'old password here');
    await user.type(screen.getByLabelText('New password'), 'a brand new passphrase');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByTestId('password-changed')).toHaveTextContent('signed out everywhere else');
    expect(calls.find((c) => c.path === '/me/password')?.body).toEqual({ current_password: 'old password here', new_password: 'a brand new passphrase' });
  });

  it('a wrong current password is shown on its field', async () => {
    const user = userEvent.setup();
    session.start(tokens());
    mockApi({
      'POST /me/password': () =>
        problem(422, { code: 'validation_failed', detail: 'current_password: is not your current password', errors: [{ field: 'current_password', message: 'is not your current password' }] }),
    });
    renderApp(<App />, { url: '/account/password' });
    await user.type(await screen.findByLabelText('Current password'), 'wrong password here');
    await user.type(screen.getByLabelText('New password'), 'a brand new passphrase');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect((await screen.findAllByText(/is not your current password/i)).length).toBeGreaterThan(0);
  });

  it('a password link sets the password, and a spent one says to ask for a new link', async () => {
    const user = userEvent.setup();
    let spent = false;
    const { calls } = mockApi({
      'POST /auth/password-link/redeem': () => {
        if (spent) return problem(401, { code: 'unauthorized', detail: 'not valid' });
        spent = true;
        return noContent();
      },
    });
    const { unmount } = renderApp(<App />, { url: '/set-password?token=abc123' });
    await user.type(await screen.findByLabelText('New password'), 'a brand new passphrase');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect(await screen.findByRole('heading', { name: 'Your password is set' })).toBeInTheDocument();
    expect(calls[0]?.body).toEqual({ token: 'abc123', new_password: 'a brand new passphrase' });
    unmount();
    renderApp(<App />, { url: '/set-password?token=abc123' });
    await user.type(await screen.findByLabelText('New password'), 'another new passphrase');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect(await screen.findByText(/Ask your administrator for a new link/)).toBeInTheDocument();
  });

  it('the sign-in page offers help with a forgotten password without asking for anything', async () => {
    const user = userEvent.setup();
    session.clear();
    mockApi({ 'POST /auth/refresh': () => problem(401, { code: 'unauthorized' }), 'GET /me': () => json({}) });
    renderApp(<App />, { url: '/sign-in' });
    await user.click(await screen.findByRole('link', { name: 'Forgotten your password?' }));
    expect(await screen.findByRole('heading', { name: 'Forgotten your password?' })).toBeInTheDocument();
    expect(screen.queryByRole('textbox')).toBeNull();
  });
});
