import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { Evidence } from '../../api/types';
import { App } from '../../App';
import { json, makeApprenticeship, makeStandard, problem, tokens } from '../../test/fixtures';
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
    const api = mockApi({ 'GET /standards/ST0220/versions/1.1': () => json(makeStandard()), 'GET /apprenticeships/a1': () => json(makeApprenticeship()) });
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
      'GET /standards/ST0220/versions/1.1': () => json(makeStandard()),
      'GET /apprenticeships/a1': () => json(makeApprenticeship()),
      'POST /apprenticeships/a1/evidence': () => json(created, 201),
      'POST /evidence/e9/submit': () => json({ ...created, status: 'submitted' }),
      'GET /evidence/e9': () => json({ ...created, status: 'submitted' }, 200, { etag: '"v2"' }),
      'GET /evidence/e9/attachments': () => json({ items: [] }),
      'GET /evidence/e9/comments': () => json({ items: [] }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/evidence/new' });
    await fillForm(user);
    await user.click(screen.getByRole('button', { name: 'Save and submit for review' }));
    expect(await screen.findByText('Submitted for review.')).toBeInTheDocument();
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
      'GET /standards/ST0220/versions/1.1': () => json(makeStandard()),
      'GET /apprenticeships/a1': () => json(makeApprenticeship()),
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

describe('add evidence with files in one step', () => {
  const png = () => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], 'qc-record.png', { type: 'image/png' });
  const exe = () => new File([new Uint8Array([0x4d, 0x5a, 0x90, 0])], 'tool.exe', { type: 'application/octet-stream' });
  const attachment = (name: string) => ({
    id: `att-${name}`,
    filename: name,
    content_type: 'image/png',
    size: 7,
    sha256: 'ab',
    created_at: '2026-01-10T09:00:00Z',
  });

  it('saves, uploads each file and submits, in that order, and says so where the person lands', async () => {
    const user = userEvent.setup();
    const api = mockApi({
      'GET /standards/ST0220/versions/1.1': () => json(makeStandard()),
      'GET /apprenticeships/a1': () => json(makeApprenticeship()),
      'POST /apprenticeships/a1/evidence': () => json(created, 201),
      'POST /evidence/e9/attachments': () => json(attachment('qc-record.png'), 201),
      'POST /evidence/e9/submit': () => json({ ...created, status: 'submitted' }),
      'GET /evidence/e9': () => json({ ...created, status: 'submitted' }, 200, { etag: '"2"' }),
      'GET /evidence/e9/attachments': () => json({ items: [attachment('qc-record.png')] }),
      'GET /evidence/e9/comments': () => json({ items: [] }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/evidence/new' });
    await fillForm(user);
    await user.upload(screen.getByLabelText('Drag files here, or choose them'), [png()]);
    const queued = screen.getByTestId('queued-files');
    expect(queued).toHaveTextContent('qc-record.png');
    expect(within(queued).getByRole('button', { name: 'Remove qc-record.png' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save and submit for review' }));
    const confirmation = await screen.findByTestId('confirmation');
    expect(confirmation).toHaveTextContent('Submitted for review with 1 file attached.');
    await waitFor(() => expect(confirmation).toHaveFocus());
    const order = api.calls.filter((c) => c.method === 'POST').map((c) => c.path);
    expect(order).toEqual(['/apprenticeships/a1/evidence', '/evidence/e9/attachments', '/evidence/e9/submit']);
    const upload = api.calls.find((c) => c.path === '/evidence/e9/attachments' && c.method === 'POST');
    expect((upload?.body as FormData).get('file')).toBeInstanceOf(File);
    expect(upload?.headers.Authorization).toMatch(/^Bearer /);
  });

  it('takes two files dropped on the drop zone and shows each one\'s state as it uploads', async () => {
    const user = userEvent.setup();
    const pdf = () => new File([new Uint8Array(2048).fill(0x25)], 'calibration log.pdf', { type: 'application/pdf' });
    // Each upload answers when the test says so, so every state can be seen on its way.
    const answers: ((response: Response) => void)[] = [];
    const api = mockApi({
      'GET /standards/ST0220/versions/1.1': () => json(makeStandard()),
      'GET /apprenticeships/a1': () => json(makeApprenticeship()),
      'POST /apprenticeships/a1/evidence': () => json(created, 201),
      'POST /evidence/e9/attachments': () => new Promise<Response>((resolve) => answers.push(resolve)),
      'GET /evidence/e9/attachments': () => json({ items: [attachment('qc-record.png')] }),
      'GET /evidence/e9': () => json(created, 200, { etag: '"1"' }),
      'GET /evidence/e9/comments': () => json({ items: [] }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/evidence/new' });
    await fillForm(user);
    const zone = screen.getByTestId('drop-zone');
    fireEvent.dragOver(zone, { dataTransfer: { files: [], types: ['Files'] } });
    expect(zone).toHaveClass('app-drop-zone--over');
    fireEvent.drop(zone, { dataTransfer: { files: [png(), pdf()], types: ['Files'] } });
    expect(zone).not.toHaveClass('app-drop-zone--over');
    const rows = () => within(screen.getByTestId('queued-files')).getAllByRole('listitem');
    expect(rows().map((r) => r.textContent)).toEqual([
      'qc-record.png (7 bytes) Attached when you saveRemove qc-record.png',
      'calibration log.pdf (2.0 KB) Attached when you saveRemove calibration log.pdf',
    ]);
    expect(api.calls.some((c) => c.method === 'POST')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Save as draft' }));
    // The first is on its way, the second waits its turn.
    const first = await screen.findByRole('progressbar', { name: 'Uploading qc-record.png' });
    expect(first).toHaveAttribute('value', '0');
    expect(rows()[0]).toHaveTextContent('0% sent');
    expect(rows()[1]).toHaveTextContent('Attached when you save');
    answers[0]?.(json(attachment('qc-record.png'), 201));
    await screen.findByRole('progressbar', { name: 'Uploading calibration log.pdf' });
    expect(within(rows()[0] as HTMLElement).getByText('Attached')).toHaveClass('nhsuk-tag--green');
    expect(screen.queryByRole('progressbar', { name: 'Uploading qc-record.png' })).toBeNull();
    answers[1]?.(problem(413, { code: 'payload_too_large', detail: 'The file is larger than 25 MiB.' }));
    // The refused one keeps its own error beside it; the evidence stays a draft.
    await waitFor(() => expect(screen.getByTestId('queued-files')).toHaveTextContent('calibration log.pdf could not be attached: The file is larger than 25 MiB.'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Saved as a draft; 1 file could not be attached');
    expect(api.calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.body instanceof FormData ? c.body.get('file') : undefined])).toEqual([
      ['/apprenticeships/a1/evidence', undefined],
      ['/evidence/e9/attachments', expect.objectContaining({ name: 'qc-record.png' })],
      ['/evidence/e9/attachments', expect.objectContaining({ name: 'calibration log.pdf' })],
    ]);
  });

  it('leaves the evidence a draft when a file is refused, naming the file beside it and in the summary', async () => {
    const user = userEvent.setup();
    let creates = 0;
    const api = mockApi({
      'GET /standards/ST0220/versions/1.1': () => json(makeStandard()),
      'GET /apprenticeships/a1': () => json(makeApprenticeship()),
      'POST /apprenticeships/a1/evidence': () => {
        creates += 1;
        return json(created, 201);
      },
      'PATCH /evidence/e9': () => json({ ...created, version: 2 }, 200, { etag: '"2"' }),
      'POST /evidence/e9/attachments': (req) =>
        (req.body as FormData).get('file') instanceof File && ((req.body as FormData).get('file') as File).name === 'tool.exe'
          ? problem(415, {
              code: 'unsupported_media_type',
              detail: 'This type of file is not accepted: it looks like a program. Attach a photo, PDF or document.',
            })
          : json(attachment('qc-record.png'), 201),
      'GET /evidence/e9/attachments': () => json({ items: [attachment('qc-record.png')] }),
      'GET /evidence/e9': () => json({ ...created, version: 2 }, 200, { etag: '"2"' }),
      'GET /evidence/e9/comments': () => json({ items: [] }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/evidence/new' });
    await fillForm(user);
    await user.upload(screen.getByLabelText('Drag files here, or choose them'), [png(), exe()]);
    await user.click(screen.getByRole('button', { name: 'Save and submit for review' }));
    const summary = await screen.findByRole('alert');
    expect(summary).toHaveTextContent('Saved as a draft; 1 file could not be attached');
    const link = within(summary).getByRole('link', { name: /^tool\.exe could not be attached: This type of file is not accepted/ });
    await waitFor(() => expect(summary.parentElement).toHaveFocus());
    const row = document.querySelector(link.getAttribute('href') ?? '');
    expect(row).toHaveTextContent('tool.exe could not be attached: This type of file is not accepted');
    expect(api.calls.some((c) => c.path === '/evidence/e9/submit')).toBe(false);
    // The attached file is listed with the evidence's files; the refused one stays to remove.
    expect(await screen.findByTestId('attached-files')).toHaveTextContent('qc-record.png');
    await user.click(screen.getByRole('button', { name: 'Remove tool.exe' }));
    expect(screen.queryByTestId('queued-files')).not.toBeInTheDocument();
    // Trying again edits the saved draft, never creates a second one.
    await user.click(screen.getByRole('button', { name: 'Save as draft' }));
    expect(await screen.findByTestId('confirmation')).toHaveTextContent('Saved as a draft.');
    expect(creates).toBe(1);
    expect(api.calls.find((c) => c.method === 'PATCH')?.headers['If-Match']).toBe('"1"');
  });
});

describe('edit evidence', () => {
  it('sends If-Match with the ETag and explains a 412', async () => {
    const user = userEvent.setup();
    const api = mockApi({
      'GET /standards/ST0220/versions/1.1': () => json(makeStandard()),
      'GET /apprenticeships/a1': () => json(makeApprenticeship()),
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
