import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import { App } from '../../App';
import { json, problem, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

afterEach(() => vi.unstubAllGlobals());

const admin = { id: 'a', email: 'a@x', name: 'Ada Admin', role: 'admin' as const, organisation_id: null, active: true, created_at: '2026-01-01T00:00:00Z' };
const csv = () => new File(['email,name,role,organisation\nn@x.uk,Nia,apprentice,Trust\n'], 'cohort.csv', { type: 'text/csv' });

describe('importing a cohort', () => {
  it('sends the file as CSV and says who was e-mailed a password link', async () => {
    const user = userEvent.setup();
    session.start(tokens({ user: admin }));
    const { calls } = mockApi({
      'POST /imports/users': () =>
        json({ created: 1, unchanged: 0, lines: [{ line: 2, user_id: 'u1', email: 'n@x.uk', outcome: 'created', password_link_sent: true }] }, 201),
    });
    renderApp(<App />, { url: '/imports' });
    await user.upload(await screen.findByLabelText('People file'), csv());
    await user.click(screen.getAllByRole('button', { name: 'Import' })[0] as HTMLElement);
    const result = await screen.findByTestId('import-result');
    expect(result).toHaveTextContent('1 created, 0 already there');
    expect(result).toHaveTextContent('Each new person was e-mailed a link to set their password');
    expect(within(result).getByRole('listitem')).toHaveTextContent('n@x.uk');
    const sent = calls.find((c) => c.path === '/imports/users');
    expect(sent?.headers['Content-Type']).toBe('text/csv');
  });

  it('lists every bad line the server names and imports nothing', async () => {
    const user = userEvent.setup();
    session.start(tokens({ user: admin }));
    mockApi({
      'POST /imports/users': () =>
        problem(422, {
          code: 'validation_failed',
          detail: 'Nothing was imported: 2 problem(s) to fix first.',
          errors: [
            { field: 'line 3: email', message: 'is not an e-mail address' },
            { field: 'line 4: organisation', message: 'no organisation called "Imaginary"' },
          ],
        }),
    });
    renderApp(<App />, { url: '/imports' });
    await user.upload(await screen.findByLabelText('People file'), csv());
    await user.click(screen.getAllByRole('button', { name: 'Import' })[0] as HTMLElement);
    expect(await screen.findByText(/line 3: email/i)).toBeInTheDocument();
    expect(screen.getByText(/line 4: organisation/i)).toBeInTheDocument();
    expect(screen.queryByTestId('import-result')).toBeNull();
  });
});
