import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { Evidence, ReviewQueueItem } from '../../api/types';
import { App } from '../../App';
import { adaApprenticeship, json, makeStandard, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

const evidence = (id: string, title: string): Evidence => ({
  id,
  apprenticeship_id: 'a1',
  title,
  description: 'What I did.',
  kind: 'observation',
  occurred_on: '2026-01-10',
  ksbs: ['S7'],
  status: 'submitted',
  version: 1,
  created_at: '2026-01-10T09:00:00Z',
  updated_at: '2026-01-10T09:00:00Z',
  reviews: [],
} as unknown as Evidence);

const apprenticeship = adaApprenticeship;

const queued = (id: string, title: string): ReviewQueueItem => ({
  evidence_id: id,
  title,
  kind: 'observation',
  ksbs: ['S7'],
  submitted_at: '2026-02-01T10:00:00Z',
  apprenticeship_id: 'a1',
  apprentice: { id: 'p1', name: 'Ada Apprentice' },
});

beforeEach(() => session.start(tokens({ user: { id: 't', email: 't@x', name: 'Tess Tutor', role: 'provider', organisation_id: 'pr', active: true, created_at: '2026-01-01T00:00:00Z' } })));
afterEach(() => vi.unstubAllGlobals());

function routes(queue: ReviewQueueItem[], decided: string[]) {
  const items = () => queue.filter((q) => !decided.includes(q.evidence_id));
  const perEvidence = (id: string, title: string) => ({
    [`GET /evidence/${id}`]: () => json({ ...evidence(id, title), status: decided.includes(id) ? 'accepted' : 'submitted' }, 200, { etag: '"v1"' }),
    [`GET /evidence/${id}/attachments`]: () => json({ items: [] }),
    [`POST /evidence/${id}/review`]: () => {
      decided.push(id);
      return json({ ...evidence(id, title), status: 'accepted' });
    },
  });
  return {
    'GET /standards/ST0220/versions/1.1': () => json(makeStandard()),
    'GET /apprenticeships/a1': () => json(apprenticeship),
    'GET /review-queue': (req: { query: URLSearchParams }) => {
      const offset = Number(req.query.get('offset') ?? 0);
      const limit = Number(req.query.get('limit') ?? 25);
      return json({ items: items().slice(offset, offset + limit), total: items().length, limit, offset });
    },
    ...Object.assign({}, ...queue.map((q) => perEvidence(q.evidence_id, q.title))),
  } as Parameters<typeof mockApi>[0];
}

describe('review page', () => {
  it('names the apprentice and the apprenticeship', async () => {
    mockApi(routes([queued('e1', 'QC run')], []));
    renderApp(<App />, { url: '/evidence/e1/review?scope=mine&at=0' });
    expect(await screen.findByTestId('whose-work')).toHaveTextContent('Ada Apprentice');
    expect(screen.getByTestId('whose-work')).toHaveTextContent('ST0220 version 1.1');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Ada Apprentice');
  });

  it('after a decision opens the item that took this one’s place in the queue, saying what happened, with focus there', async () => {
    const user = userEvent.setup();
    const queue = [queued('e0', 'Skipped one'), queued('e1', 'QC run'), queued('e2', 'Calibration log'), queued('e3', 'Later one')];
    const api = mockApi(routes(queue, []));
    renderApp(<App />, { url: '/evidence/e1/review?scope=organisation&at=1' });
    await user.click(await screen.findByLabelText('Accept'));
    await user.click(screen.getByRole('button', { name: 'Save decision' }));
    const flash = await screen.findByTestId('flash');
    expect(flash).toHaveTextContent('Accepted “QC run” for Ada Apprentice. Next in the review queue: “Calibration log” from Ada Apprentice. 3 items are waiting, this one included.');
    expect(await screen.findByRole('heading', { level: 1, name: /Review: Calibration log/ })).toBeInTheDocument();
    await waitFor(() => expect(flash).toHaveFocus());
    const next = api.calls.filter((c) => c.path === '/review-queue').at(-1);
    expect(next?.query.get('scope')).toBe('organisation');
    expect(next?.query.get('offset')).toBe('1');
    expect(screen.getByRole('link', { name: 'Back to review queue' })).toHaveAttribute('href', '/review-queue?scope=organisation');
  });

  it('goes back to the queue when nothing else is waiting', async () => {
    const user = userEvent.setup();
    mockApi(routes([queued('e1', 'QC run')], []));
    renderApp(<App />, { url: '/evidence/e1/review' });
    await user.click(await screen.findByLabelText('Accept'));
    await user.click(screen.getByRole('button', { name: 'Save decision' }));
    const flash = await screen.findByTestId('flash');
    expect(flash).toHaveTextContent('Accepted “QC run” for Ada Apprentice. Nothing else is waiting for review.');
    expect(await screen.findByRole('heading', { level: 1, name: 'Review queue' })).toBeInTheDocument();
    expect(flash).toHaveFocus();
  });
});
