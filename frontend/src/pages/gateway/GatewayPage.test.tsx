import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import type { Gateway, GatewayCheck, Role } from '../../api/types';
import { App } from '../../App';
import { json, problem, tokens } from '../../test/fixtures';
import { mockApi } from '../../test/mockApi';
import { renderApp } from '../../test/render';

function signInAs(role: Role) {
  session.start(tokens({ user: { id: 'u', email: 'u@x', name: 'Someone', role, organisation_id: 'o', active: true, created_at: '2026-01-01T00:00:00Z' } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Records the file name of each download the page hands the browser (jsdom saves nothing). */
function captureDownloads(): string[] {
  const saved: string[] = [];
  URL.createObjectURL = vi.fn(() => 'blob:portfolio');
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    expect(this.href).toBe('blob:portfolio');
    saved.push(this.download);
  });
  return saved;
}

const met = (code: GatewayCheck['code'], detail: string): GatewayCheck => ({ code, met: true, detail, missing: [] });

const readyChecks: GatewayCheck[] = [
  met('all_ksbs_evidenced', 'All 94 KSBs of the standard have accepted evidence.'),
  met('skills_behaviours_signed_off', 'The employer has signed off all 50 skills and behaviours.'),
  met('otj_plan_met', '190 hours of off-the-job training approved against the 187 hours planned.'),
  met('reviews_current', 'Progress reviews are up to date and every review is signed.'),
  met('english_maths', 'English is achieved and maths is exempt.'),
];

function gateway(overrides: Partial<Gateway> = {}): Gateway {
  return {
    apprenticeship_id: 'a1',
    ready: true,
    state: 'ready',
    declared_at: null,
    checks: readyChecks,
    next_to_declare: 'provider',
    declarations: [],
    english_maths: null,
    content_sha256: 'c'.repeat(64),
    ...overrides,
  };
}

describe('the gateway page', () => {
  it('says what each unmet check lacks, links to where it is done, and offers no declaration', async () => {
    signInAs('provider');
    const unready = gateway({
      ready: false,
      state: 'on_programme',
      checks: [
        { code: 'all_ksbs_evidenced', met: false, detail: '2 of the 94 KSBs have no accepted evidence yet: K3, S7.', missing: ['K3', 'S7'] },
        ...readyChecks.slice(1, 4),
        { code: 'english_maths', met: false, detail: 'Maths is still pending; provider staff record it as achieved or exempt.', missing: ['maths'] },
      ],
    });
    mockApi({ 'GET /apprenticeships/a1/gateway': () => json(unready) });
    renderApp(<App />, { url: '/apprenticeships/a1/gateway' });
    const check = await screen.findByTestId('check-all_ksbs_evidenced');
    expect(within(check).getByText('Not met')).toBeInTheDocument();
    expect(within(check).getByText(/K3, S7/)).toBeInTheDocument();
    expect(within(check).getByRole('link', { name: /See progress per KSB/ })).toHaveAttribute('href', '/apprenticeships/a1');
    expect(screen.getByText('3 of 5 checks met. They are worked out from the portfolio itself.')).toBeInTheDocument();
    expect(screen.getByTestId('gateway-state')).toHaveTextContent('On programme');
    expect(screen.queryByRole('button', { name: /Declare ready/ })).not.toBeInTheDocument();
  });

  it('lets provider staff record English and maths', async () => {
    signInAs('provider');
    const user = userEvent.setup();
    const api = mockApi({
      'GET /apprenticeships/a1/gateway': () => json(gateway()),
      'PUT /apprenticeships/a1/english-maths': () => json(gateway()),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/gateway' });
    await user.selectOptions(await screen.findByLabelText('English'), 'achieved');
    await user.selectOptions(screen.getByLabelText('Maths'), 'exempt');
    await user.type(screen.getByLabelText(/Note/), 'GCSE grade 6');
    await user.click(screen.getByRole('button', { name: 'Save English and maths' }));
    expect(await screen.findByTestId('english-maths-saved')).toHaveTextContent('English and maths saved.');
    const put = api.calls.find((c) => c.method === 'PUT');
    expect(put?.body).toEqual({ english: 'achieved', maths: 'exempt', note: 'GCSE grade 6' });
  });

  it('offers the declaration to the party whose turn it is, and tells the others who is next', async () => {
    signInAs('apprentice');
    const user = userEvent.setup();
    const provider = { id: 'd1', role: 'provider' as const, signer: { id: 't', name: 'Tess Tutor' }, signed_at: '2026-11-30T10:00:00Z', content_sha256: 'c'.repeat(64), current: true };
    const afterProvider = gateway({ next_to_declare: 'apprentice', declarations: [provider] });
    const api = mockApi({
      'GET /apprenticeships/a1/gateway': () => json(afterProvider),
      'POST /apprenticeships/a1/gateway/declarations': () => json(gateway({ next_to_declare: 'employer', declarations: [provider] }), 201),
    });
    const { unmount } = renderApp(<App />, { url: '/apprenticeships/a1/gateway' });
    const list = await screen.findByTestId('declarations');
    expect(list).toHaveTextContent(/Training provider: declared by Tess Tutor/);
    expect(list).toHaveTextContent('Apprentice: not yet declared');
    await user.click(screen.getByRole('button', { name: 'Declare ready for end-point assessment as apprentice' }));
    expect(await screen.findByTestId('gateway-confirmation')).toHaveTextContent('Declared.');
    await waitFor(() => expect(api.calls.some((c) => c.method === 'POST' && c.headers['Idempotency-Key'] !== undefined)).toBe(true));
    unmount();
    signInAs('employer');
    renderApp(<App />, { url: '/apprenticeships/a1/gateway' });
    expect(await screen.findByText('Waiting for the apprentice to declare.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Declare ready/ })).not.toBeInTheDocument();
  });

  it('shows a frozen portfolio and lets provider staff withdraw with a reason', async () => {
    signInAs('provider');
    const user = userEvent.setup();
    const declarations = (['provider', 'apprentice', 'employer'] as const).map((role, i) => ({
      id: `d${String(i)}`,
      role,
      signer: { id: `p${String(i)}`, name: `Person ${String(i)}` },
      signed_at: '2026-11-30T10:00:00Z',
      content_sha256: 'c'.repeat(64),
      current: true,
    }));
    const declared = gateway({ state: 'declared', declared_at: '2026-11-30T10:05:00Z', next_to_declare: null, declarations });
    const withdrawn = gateway({ declarations: declarations.map((d) => ({ ...d, current: false, voided_at: '2026-12-01T09:00:00Z', void_reason: 'More work' })) });
    let current = declared;
    const api = mockApi({
      'GET /apprenticeships/a1/gateway': () => json(current),
      'POST /apprenticeships/a1/gateway/withdraw': () => {
        current = withdrawn;
        return json(withdrawn);
      },
    });
    renderApp(<App />, { url: '/apprenticeships/a1/gateway' });
    expect(await screen.findByTestId('gateway-state')).toHaveTextContent('At gateway');
    expect(screen.getByText(/the portfolio is frozen/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save English and maths' })).not.toBeInTheDocument();
    await user.click(screen.getByText('Withdraw the declarations', { selector: 'span' }));
    await user.type(screen.getByLabelText('Why is the apprentice no longer at gateway?'), 'More work');
    await user.click(screen.getByRole('button', { name: 'Withdraw the declarations' }));
    expect(await screen.findByTestId('withdrawn')).toHaveTextContent('Declarations withdrawn.');
    expect(api.calls.find((c) => c.path.endsWith('/withdraw'))?.body).toEqual({ reason: 'More work' });
  });

  it('downloads the end-point assessment pack and the whole portfolio with the bearer token', async () => {
    signInAs('apprentice');
    const user = userEvent.setup();
    const saved = captureDownloads();
    const api = mockApi({
      'GET /apprenticeships/a1/gateway': () => json(gateway({ ready: false, state: 'on_programme' })),
      'GET /apprenticeships/a1/portfolio.pdf': () => new Response('%PDF-1.7', { headers: { 'content-type': 'application/pdf' } }),
      'GET /apprenticeships/a1/portfolio.zip': () => new Response('PK', { headers: { 'content-type': 'application/zip' } }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/gateway' });
    const downloads = await screen.findByTestId('portfolio-downloads');
    await user.click(within(downloads).getByRole('button', { name: 'Download the end-point assessment pack (PDF)' }));
    await waitFor(() => expect(saved).toEqual(['portfolio-a1.pdf']));
    await user.click(within(downloads).getByRole('button', { name: 'Download the whole portfolio (ZIP)' }));
    await waitFor(() => expect(saved).toEqual(['portfolio-a1.pdf', 'portfolio-a1.zip']));
    const fetched = api.calls.filter((c) => c.path.startsWith('/apprenticeships/a1/portfolio.'));
    expect(fetched.map((c) => [c.path, c.headers.Authorization])).toEqual([
      ['/apprenticeships/a1/portfolio.pdf', 'Bearer access-1'],
      ['/apprenticeships/a1/portfolio.zip', 'Bearer access-1'],
    ]);
  });

  it('says why a download failed and saves nothing', async () => {
    signInAs('employer');
    const user = userEvent.setup();
    const saved = captureDownloads();
    mockApi({
      'GET /apprenticeships/a1/gateway': () => json(gateway()),
      'GET /apprenticeships/a1/portfolio.pdf': () => problem(503, { code: 'unavailable', title: 'Service unavailable', detail: 'The database is not answering. Try again in a minute.' }),
    });
    renderApp(<App />, { url: '/apprenticeships/a1/gateway' });
    await user.click(await screen.findByRole('button', { name: 'Download the end-point assessment pack (PDF)' }));
    expect(await screen.findByText(/The database is not answering/)).toBeInTheDocument();
    expect(saved).toEqual([]);
  });
});
