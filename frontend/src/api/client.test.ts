import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { json, problem, tokens } from '../test/fixtures';
import { api, ApiError, body, errorFromResponse, onSessionExpired, publicApi } from './client';
import { createEvidence, listEvidence, updateEvidence } from './evidence';
import { getCaseload } from './queues';
import { session } from './session';

type FetchMock = ReturnType<typeof vi.fn<(input: Request) => Promise<Response>>>;

function mockFetch(): FetchMock {
  const fn: FetchMock = vi.fn();
  vi.stubGlobal('fetch', fn);
  return fn;
}

/** The request of the n-th call the typed client made. */
function sent(fetchMock: FetchMock, n: number): Request {
  const request = fetchMock.mock.calls[n]?.[0];
  if (!(request instanceof Request)) throw new Error(`no request ${String(n)}`);
  return request;
}

function pathOf(request: Request): string {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
}

const me = () => body(api.GET('/api/v1/me'));

beforeEach(() => session.clear());
afterEach(() => vi.unstubAllGlobals());

describe('errorFromResponse', () => {
  it('reads problem+json into a typed ApiError with field errors', async () => {
    const error = await errorFromResponse(
      problem(422, {
        type: 'urn:ksbfolio:problem:validation_failed',
        title: 'Validation failed',
        detail: 'The description appears to contain an NHS number.',
        code: 'validation_failed',
        errors: [{ field: 'description', message: 'Remove the NHS number' }, { nonsense: true }],
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toBe('The description appears to contain an NHS number.');
    expect(error.fieldErrors).toEqual([{ field: 'description', message: 'Remove the NHS number' }]);
    expect(error.fieldMessage('description')).toBe('Remove the NHS number');
    expect(error.fieldMessage('title')).toBeUndefined();
  });

  it('reads Retry-After seconds on 429', async () => {
    const error = await errorFromResponse(
      problem(429, { code: 'too_many_requests', detail: 'Slow down.' }, { 'retry-after': '42' }),
    );
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe(42);
  });

  it('falls back to a readable message when the body is not JSON', async () => {
    const error = await errorFromResponse(new Response('<html>bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    expect(error.code).toBe('http_502');
    expect(error.detail).toMatch(/problem with the service/);
    expect(error.fieldErrors).toEqual([]);
  });
});

describe('the typed client', () => {
  it('fills the path, drops empty filters and keeps the API base', async () => {
    const fetchMock = mockFetch().mockResolvedValueOnce(json({ items: [], total: 0, limit: 25, offset: 0 }));
    await listEvidence('a 1', { status: 'draft', ksb: '', kind: '', limit: 25 });
    expect(pathOf(sent(fetchMock, 0))).toBe('/api/v1/apprenticeships/a%201/evidence?limit=25&status=draft');
  });

  it('attaches the bearer token and decodes JSON', async () => {
    session.start(tokens());
    const fetchMock = mockFetch().mockResolvedValueOnce(json({ id: 'u-app' }));
    await expect(me()).resolves.toEqual({ id: 'u-app' });
    expect(sent(fetchMock, 0).headers.get('Authorization')).toBe('Bearer access-1');
  });

  it('turns a problem+json answer into a typed ApiError with the detail and field errors', async () => {
    mockFetch().mockResolvedValueOnce(
      problem(422, { code: 'validation_failed', detail: 'Check the form.', errors: [{ field: 'title', message: 'Enter a title' }] }),
    );
    const error = await me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).detail).toBe('Check the form.');
    expect((error as ApiError).fieldMessage('title')).toBe('Enter a title');
  });

  it('turns a network failure into ApiError status 0', async () => {
    mockFetch().mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const error = await me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('network_error');
  });

  it('returns undefined for 204', async () => {
    mockFetch().mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(body(api.DELETE('/api/v1/evidence/{id}', { params: { path: { id: 'e1' } } }))).resolves.toBeUndefined();
  });
});

describe('fetchAll', () => {
  it('pages through a list at the server\'s largest page size until it has the total', async () => {
    const fetchMock = mockFetch().mockImplementation((input) => {
      const url = new URL(input.url);
      const offset = Number(url.searchParams.get('offset'));
      const items = Array.from({ length: offset === 0 ? 200 : 50 }, (_, i) => offset + i);
      return Promise.resolve(json({ items, total: 250, limit: 200, offset }));
    });
    const page = await getCaseload({ sort: 'progress' });
    expect(page.items).toHaveLength(250);
    expect(page.total).toBe(250);
    expect(fetchMock.mock.calls.map((c) => pathOf(c[0]))).toEqual([
      '/api/v1/caseload?sort=progress&limit=200&offset=0',
      '/api/v1/caseload?sort=progress&limit=200&offset=200',
    ]);
  });
});

describe('refresh on 401', () => {
  it('refreshes once, stores the new tokens and retries the request with the new token', async () => {
    session.start(tokens());
    const fetchMock = mockFetch()
      .mockResolvedValueOnce(problem(401, { code: 'token_expired' }))
      .mockResolvedValueOnce(json(tokens({ access_token: 'access-2', refresh_token: 'refresh-2' })))
      .mockResolvedValueOnce(json({ ok: true }));
    await expect(me()).resolves.toEqual({ ok: true });
    expect(fetchMock).toHaveBeenCalledTimes(3);
    const refresh = sent(fetchMock, 1);
    expect(pathOf(refresh)).toBe('/api/v1/auth/refresh');
    // The refresh token is the HttpOnly cookie's: the body carries none, the header marks the browser.
    expect(await refresh.json()).toEqual({});
    expect(refresh.headers.get('X-Ksbfolio-Client')).toBe('browser');
    expect(refresh.headers.get('Authorization')).toBeNull();
    expect(refresh.credentials).toBe('same-origin');
    expect(sent(fetchMock, 2).headers.get('Authorization')).toBe('Bearer access-2');
    expect(session.mayResume()).toBe(true);
  });

  it('shares one refresh between requests that fail together', async () => {
    session.start(tokens());
    let refreshes = 0;
    mockFetch().mockImplementation((input) => {
      const url = input.url;
      if (url.endsWith('/auth/refresh')) {
        refreshes += 1;
        return Promise.resolve(json(tokens({ access_token: 'access-2', refresh_token: 'refresh-2' })));
      }
      return Promise.resolve(session.accessToken() === 'access-2' ? json({ url }) : problem(401, { code: 'token_expired' }));
    });
    const results = await Promise.all([me(), body(api.GET('/api/v1/standards')), body(api.GET('/api/v1/caseload'))]);
    expect(results).toHaveLength(3);
    expect(refreshes).toBe(1);
  });

  it('ends the session and reports expiry when the refresh fails', async () => {
    session.start(tokens());
    const expired = vi.fn();
    const stop = onSessionExpired(expired);
    const fetchMock = mockFetch()
      .mockResolvedValueOnce(problem(401, { code: 'token_expired' }))
      .mockResolvedValueOnce(problem(401, { code: 'refresh_token_revoked' }));
    const error = await me().catch((e: unknown) => e);
    stop();
    expect((error as ApiError).status).toBe(401);
    expect(fetchMock).toHaveBeenCalledTimes(2); // no retry without new tokens
    expect(expired).toHaveBeenCalledTimes(1);
    expect(session.accessToken()).toBeNull();
    expect(session.mayResume()).toBe(false);
  });

  it('does not loop: a second 401 after a successful refresh ends the session', async () => {
    session.start(tokens());
    const expired = vi.fn();
    const stop = onSessionExpired(expired);
    const fetchMock = mockFetch()
      .mockResolvedValueOnce(problem(401, {}))
      .mockResolvedValueOnce(json(tokens({ access_token: 'access-2' })))
      .mockResolvedValueOnce(problem(401, {}));
    await expect(me()).rejects.toBeInstanceOf(ApiError);
    stop();
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('never refreshes for the login call itself', async () => {
    const fetchMock = mockFetch().mockResolvedValueOnce(problem(401, { code: 'invalid_credentials', detail: 'Wrong.' }));
    const error = await body(publicApi.POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'x' } })).catch((e: unknown) => e);
    expect((error as ApiError).code).toBe('invalid_credentials');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});

describe('keys and versions', () => {
  const input = { title: 'QC', description: 'd', kind: 'observation', occurred_on: '2026-01-10', ksbs: ['S7'] } as const;

  it('sends an Idempotency-Key with a creating POST, and the same key on the retry after a refresh', async () => {
    session.start(tokens());
    const fetchMock = mockFetch()
      .mockResolvedValueOnce(problem(401, { code: 'token_expired' }))
      .mockResolvedValueOnce(json(tokens({ access_token: 'access-2' })))
      .mockResolvedValueOnce(json({ id: 'e1' }, 201));
    await createEvidence('a1', { ...input, ksbs: [...input.ksbs] });
    const first = sent(fetchMock, 0);
    const retry = sent(fetchMock, 2);
    expect(first.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry.headers.get('Idempotency-Key')).toBe(first.headers.get('Idempotency-Key'));
    expect(await retry.json()).toMatchObject({ title: 'QC', ksbs: ['S7'] });
    // A second piece of evidence is another request: a new key.
    fetchMock.mockResolvedValueOnce(json({ id: 'e2' }, 201));
    await createEvidence('a1', { ...input, ksbs: [...input.ksbs] });
    expect(sent(fetchMock, 3).headers.get('Idempotency-Key')).not.toBe(first.headers.get('Idempotency-Key'));
  });

  it('sends If-Match and hands back the new ETag', async () => {
    const fetchMock = mockFetch().mockResolvedValueOnce(json({ id: 'e1', version: 4 }, 200, { etag: '"4"' }));
    const { etag } = await updateEvidence('e1', '"3"', { title: 'QC (lot 42)' });
    expect(sent(fetchMock, 0).headers.get('If-Match')).toBe('"3"');
    expect(sent(fetchMock, 0).method).toBe('PATCH');
    expect(etag).toBe('"4"');
  });
});
