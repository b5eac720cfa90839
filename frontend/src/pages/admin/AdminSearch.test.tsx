import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import { App } from '../../App';
import type { Organisation } from '../../api/types';
import { json, makeApprenticeship, tokens } from '../../test/fixtures';
import { mockApi, type FakeRequest } from '../../test/mockApi';
import { renderApp } from '../../test/render';

afterEach(() => vi.unstubAllGlobals());

const admin = { id: 'a', email: 'a@x', name: 'Ada Admin', role: 'admin' as const, organisation_id: null, active: true, created_at: '2026-01-01T00:00:00Z' };
const page = (items: unknown[], req: FakeRequest) => json({ items, total: items.length, limit: Number(req.query.get('limit') ?? 50), offset: Number(req.query.get('offset') ?? 0) });
const noUsers = () => json({ items: [], total: 0, limit: 200, offset: 0 });

describe('admin list search', () => {
  it('searches apprenticeships by apprentice or organisation and shows only what the server found', async () => {
    const user = userEvent.setup();
    session.start(tokens({ user: admin }));
    const ada = makeApprenticeship({ id: 'a1', employer: { id: 'o-emp', name: 'Leeds Trust' } });
    const bo = makeApprenticeship({ id: 'a2', apprentice: { id: 'u-bo', name: 'Bo Learner', email: 'bo@example.nhs.uk' }, employer: { id: 'o-2', name: 'York Trust' } });
    const { calls } = mockApi({
      'GET /apprenticeships': (req) => {
        const q = req.query.get('q')?.toLowerCase();
        return page([ada, bo].filter((a) => q === undefined || `${a.apprentice?.name ?? ''} ${a.employer?.name ?? ''}`.toLowerCase().includes(q)), req);
      },
      'GET /organisations': () => json({ items: [], total: 0, limit: 200, offset: 0 }),
      'GET /users': noUsers,
    });
    renderApp(<App />, { url: '/admin/apprenticeships' });
    const table = await screen.findByTestId('apprenticeships');
    expect(within(table).getAllByRole('link').map((l) => l.textContent)).toEqual(['Ada Apprentice', 'Bo Learner']);
    const box = screen.getByLabelText('Apprentice, email or organisation');
    await user.type(box, 'york');
    await vi.waitFor(() => expect(screen.getByTestId('apprenticeships')).toHaveTextContent('1 apprenticeship'));
    expect(within(screen.getByTestId('apprenticeships')).getAllByRole('link').map((l) => l.textContent)).toEqual(['Bo Learner']);
    expect(calls.filter((c) => c.path === '/apprenticeships').at(-1)?.query.get('q')).toBe('york');
    await user.clear(box);
    await user.type(box, 'nobody  ');
    expect(await screen.findByText('No apprenticeships match.')).toBeInTheDocument();
    // Sent trimmed; the box keeps its focus while the list changes.
    expect(calls.filter((c) => c.path === '/apprenticeships').at(-1)?.query.get('q')).toBe('nobody');
    expect(box).toHaveFocus();
  });

  it('searches organisations by name, a page at a time', async () => {
    const user = userEvent.setup();
    session.start(tokens({ user: admin }));
    const orgs: Organisation[] = Array.from({ length: 60 }, (_, i) => ({ id: `o${String(i)}`, name: `Trust ${String(i).padStart(2, '0')}`, kind: 'employer', created_at: '2026-01-01T00:00:00Z' }));
    const { calls } = mockApi({
      'GET /organisations': (req) => {
        const q = req.query.get('q')?.toLowerCase() ?? '';
        const found = orgs.filter((o) => o.name.toLowerCase().includes(q));
        const offset = Number(req.query.get('offset') ?? 0);
        const limit = Number(req.query.get('limit') ?? 50);
        return json({ items: found.slice(offset, offset + limit), total: found.length, limit, offset });
      },
    });
    renderApp(<App />, { url: '/admin/organisations' });
    expect(await screen.findByTestId('organisations')).toHaveTextContent('60 organisations');
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await vi.waitFor(() => expect(within(screen.getByTestId('organisations')).getAllByRole('row')).toHaveLength(1 + 10));
    // A new search starts again from the first page.
    await user.type(screen.getByLabelText('Search by name'), 'TRUST 2');
    await vi.waitFor(() => expect(screen.getByTestId('organisations')).toHaveTextContent('10 organisations'));
    const rows = within(screen.getByTestId('organisations')).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]?.textContent)).toEqual(Array.from({ length: 10 }, (_, i) => `Trust 2${String(i)}`));
    const last = calls.filter((c) => c.path === '/organisations').at(-1);
    expect([last?.query.get('q'), last?.query.get('offset')]).toEqual(['TRUST 2', '0']);
  });
});
