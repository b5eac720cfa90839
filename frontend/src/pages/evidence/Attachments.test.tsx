import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { Evidence } from '../../api/types';
import { App } from '../../App';
import { json, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

const evidence: Evidence = {
  id: 'e9',
  apprenticeship_id: 'a1',
  title: 'Daily QC',
  description: 'Ran QC.',
  kind: 'observation',
  occurred_on: '2026-01-10',
  ksbs: ['S7'],
  status: 'changes_requested',
  version: 3,
  created_at: '2026-01-10T09:00:00Z',
  updated_at: '2026-01-10T09:00:00Z',
  reviews: [],
};
const file = { id: 'att1', filename: 'wrong-photo.png', content_type: 'image/png', size: 7, sha256: 'ab', created_at: '2026-01-10T09:00:00Z' };

beforeEach(() => session.start(tokens()));
afterEach(() => vi.unstubAllGlobals());

describe('attachments of evidence sent back', () => {
  it('removes a file by its named button and says so where the person is', async () => {
    const user = userEvent.setup();
    let files = [file];
    const api = mockApi({
      'GET /evidence/e9': () => json(evidence, 200, { etag: '"3"' }),
      'GET /evidence/e9/attachments': () => json({ items: files }),
      'GET /evidence/e9/comments': () => json({ items: [] }),
      'DELETE /evidence/e9/attachments/att1': () => {
        files = [];
        return new Response(null, { status: 204, headers: { etag: '"4"' } });
      },
    });
    renderApp(<App />, { url: '/evidence/e9' });
    await user.click(await screen.findByRole('button', { name: 'Remove wrong-photo.png' }));
    const done = await screen.findByText('Removed wrong-photo.png.');
    await waitFor(() => expect(done.closest('[role="status"]')).toHaveFocus());
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Download wrong-photo.png' })).not.toBeInTheDocument());
    expect(api.calls.some((c) => c.method === 'DELETE')).toBe(true);
  });
});
