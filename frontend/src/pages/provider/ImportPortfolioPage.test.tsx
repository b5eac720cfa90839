import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import { App } from '../../App';
import { json, makeApprenticeship, problem, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

afterEach(() => vi.unstubAllGlobals());

const tutor = { id: 'u-tut', email: 't@x', name: 'Tom Tutor', role: 'provider' as const, organisation_id: 'o-pro', active: true, created_at: '2026-01-01T00:00:00Z' };
const mentor = { id: 'u-men', email: 'm@x', name: 'Mia Mentor', role: 'employer' as const, organisation_id: 'o-emp', active: true, created_at: '2026-01-01T00:00:00Z' };
const page = (items: unknown[]) => json({ items, total: items.length, limit: 200, offset: 0 });
const zip = () => new File(['PK'], 'portfolio.zip', { type: 'application/zip' });

function routes(answer: () => Response) {
  return mockApi({
    'GET /organisations': () => page([{ id: 'o-emp', name: 'North Trust', kind: 'employer', created_at: '2026-01-01T00:00:00Z' }]),
    'GET /users': (req) => page(req.query.get('role') === 'employer' ? [mentor] : [tutor]),
    'POST /apprenticeships/import': answer,
  });
}

async function fillAndSend() {
  const user = userEvent.setup();
  await user.upload(await screen.findByLabelText('Portfolio file'), zip());
  await user.selectOptions(await screen.findByLabelText('Employer'), await screen.findByRole('option', { name: 'North Trust' }));
  await user.selectOptions(screen.getByLabelText('Workplace mentor'), await screen.findByRole('option', { name: 'Mia Mentor' }));
  await user.selectOptions(screen.getByLabelText('Tutor'), await screen.findByRole('option', { name: 'Tom Tutor' }));
  await user.type(screen.getByLabelText('Start date with your provider'), '2026-09-07');
  await user.click(screen.getByRole('button', { name: 'Import portfolio' }));
}

describe('importing a portfolio', () => {
  it('sends the archive with the new parties and links to the new apprenticeship', async () => {
    session.start(tokens({ user: tutor }));
    const { calls } = routes(() => json(makeApprenticeship({ id: 'a-new' }), 201));
    renderApp(<App />, { url: '/imports/portfolio' });
    await fillAndSend();
    const done = await screen.findByTestId('portfolio-imported');
    expect(done).toHaveTextContent("Ada Apprentice's portfolio is imported");
    expect(screen.getByRole('link', { name: 'Open their progress' })).toHaveAttribute('href', '/apprenticeships/a-new');
    const sent = calls.find((c) => c.path === '/apprenticeships/import');
    const form = sent?.body as FormData;
    expect(form.get('employer_id')).toBe('o-emp');
    expect(form.get('mentor_id')).toBe('u-men');
    expect(form.get('tutor_id')).toBe('u-tut');
    expect(form.get('start_date')).toBe('2026-09-07');
    expect(form.get('expected_end_date')).toBeNull();
    expect((form.get('file') as File).name).toBe('portfolio.zip');
  });

  it('lists what is wrong with the archive in the error summary', async () => {
    session.start(tokens({ user: tutor }));
    routes(() =>
      problem(422, {
        code: 'validation_failed',
        detail: 'Nothing was imported: 1 problem(s) with the portfolio.',
        errors: [{ field: 'attachments/e1/log.png', message: 'File attachments/e1/log.png does not match its SHA-256 in portfolio.json' }],
      }),
    );
    renderApp(<App />, { url: '/imports/portfolio' });
    await fillAndSend();
    expect(await screen.findByText(/attachments\/e1\/log.png/)).toBeInTheDocument();
    expect(screen.getByText(/Nothing was imported/)).toBeInTheDocument();
    expect(screen.queryByTestId('portfolio-imported')).toBeNull();
  });

  it('asks for every missing part before sending', async () => {
    session.start(tokens({ user: tutor }));
    const { calls } = routes(() => json(makeApprenticeship(), 201));
    renderApp(<App />, { url: '/imports/portfolio' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Import portfolio' }));
    expect(screen.getAllByText('Choose the portfolio.zip file').length).toBeGreaterThan(0);
    expect(screen.getAllByText('Enter the start date').length).toBeGreaterThan(0);
    expect(calls.some((c) => c.path === '/apprenticeships/import')).toBe(false);
  });
});
