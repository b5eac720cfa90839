import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import { App } from '../../App';
import { json, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

afterEach(() => vi.unstubAllGlobals());

const admin = { id: 'a', email: 'a@x', name: 'Ada Admin', role: 'admin' as const, organisation_id: null, active: true, created_at: '2026-01-01T00:00:00Z' };
const mo = { id: 'm', email: 'mo@trust.nhs.uk', name: 'Mo Mentor', role: 'employer' as const, organisation_id: 'o', active: true, created_at: '2026-01-01T00:00:00Z' };

// jsdom drops the space before a visually hidden span when it computes a name; browsers keep it.
describe('users', () => {
  it('deactivation asks first and can be undone', async () => {
    const user = userEvent.setup();
    session.start(tokens({ user: admin }));
    let active = true;
    const { calls } = mockApi({
      'GET /users': () => json({ items: [{ ...mo, active }], total: 1, limit: 50, offset: 0 }),
      'GET /organisations': () => json({ items: [], total: 0, limit: 200, offset: 0 }),
      'PATCH /users/m': (req) => {
        active = (req.body as { active: boolean }).active;
        return json({ ...mo, active });
      },
    });
    renderApp(<App />, { url: '/admin/users' });
    await user.click(await screen.findByRole('button', { name: /^Deactivate\s*Mo Mentor$/ }));
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('confirm-deactivation')).toBeNull();
    await user.click(screen.getByRole('button', { name: /^Deactivate\s*Mo Mentor$/ }));
    await user.click(screen.getByRole('button', { name: 'Yes, deactivate Mo Mentor' }));
    expect(await screen.findByText(/can no longer sign in/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Undo: reactivate Mo Mentor' }));
    expect(await screen.findByText(/can sign in again/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ active: false }, { active: true }]);
  });

  it('a password link is e-mailed to the person and never shown', async () => {
    const user = userEvent.setup();
    session.start(tokens({ user: admin }));
    const { calls } = mockApi({
      'GET /users': () => json({ items: [mo], total: 1, limit: 50, offset: 0 }),
      'GET /organisations': () => json({ items: [], total: 0, limit: 200, offset: 0 }),
      'POST /users/m/password-link': () => json({ email: mo.email, valid_hours: 24, detail: 'sent' }, 202),
    });
    renderApp(<App />, { url: '/admin/users' });
    await user.click(await screen.findByRole('button', { name: /^Email a password link\s*to Mo Mentor$/ }));
    const sent = await screen.findByTestId('password-link');
    expect(sent).toHaveTextContent('A link to set a password was e-mailed to mo@trust.nhs.uk.');
    expect(sent).toHaveTextContent('It works once, for 24 hours, and only Mo Mentor can open it.');
    expect(sent).not.toHaveTextContent('set-password');
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/users/m/password-link']);
  });

  it('searches by name or email', async () => {
    const user = userEvent.setup();
    session.start(tokens({ user: admin }));
    const { calls } = mockApi({
      'GET /users': () => json({ items: [mo], total: 1, limit: 50, offset: 0 }),
      'GET /organisations': () => json({ items: [], total: 0, limit: 200, offset: 0 }),
    });
    renderApp(<App />, { url: '/admin/users' });
    await user.type(await screen.findByLabelText('Name or email'), 'mo@');
    await vi.waitFor(() => expect(calls.some((c) => c.path === '/users' && c.query.get('q') === 'mo@')).toBe(true));
  });
});
