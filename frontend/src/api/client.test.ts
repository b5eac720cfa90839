import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { json, problem, tokens } from '../test/fixtures';
import { ApiError, buildUrl, errorFromResponse, onSessionExpired, request, requestAll } from './client';
import { session } from './session';

type FetchMock = ReturnType<typeof vi.fn<(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>>>;

function mockFetch(): FetchMock {
  const fn: FetchMock = vi.fn();
  vi.stubGlobal('fetch', fn);
  return fn;
}

function authHeader(call: unknown[] | undefined): string | undefined {
  const init = call?.[1] as RequestInit | undefined;
  return (init?.headers as Record<string, string> | undefined)?.Authorization;
}

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

describe('buildUrl', () => {
  it('drops empty filters and prefixes the API base', () => {
    expect(buildUrl('/apprenticeships/a1/evidence', { status: 'draft', ksb: '', kind: undefined, limit: 25 })).toBe(
      '/api/v1/apprenticeships/a1/evidence?status=draft&limit=25',
    );
  });
});

describe('request', () => {
  it('attaches the bearer token and decodes JSON', async () => {
    session.start(tokens());
    const fetchMock = mockFetch().mockResolvedValueOnce(json({ id: 'u-app' }));
    await expect(request('/me')).resolves.toEqual({ id: 'u-app' });
    expect(authHeader(fetchMock.mock.calls[0])).toBe('Bearer access-1');
  });

  it('turns a network failure into ApiError status 0', async () => {
    mockFetch().mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const error = await request('/me').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('network_error');
  });

  it('returns undefined for 204', async () => {
    mockFetch().mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(request('/evidence/e1', { method: 'DELETE' })).resolves.toBeUndefined();
  });
});

describe('requestAll', () => {
  it('pages through a list at the server\'s largest page size until it has the total', async () => {
    const fetchMock = mockFetch().mockImplementation((input) => {
      const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input, 'http://localhost');
      const offset = Number(url.searchParams.get('offset'));
      const items = Array.from({ length: offset === 0 ? 200 : 50 }, (_, i) => offset + i);
      return Promise.resolve(json({ items, total: 250, limit: 200, offset }));
    });
    const page = await requestAll<number>('/caseload', { sort: 'progress' });
    expect(page.items).toHaveLength(250);
    expect(page.total).toBe(250);
    expect(fetchMock.mock.calls.map((c) => c[0])).toEqual([
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
    await expect(request('/me')).resolves.toEqual({ ok: true });
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/v1/auth/refresh');
    // The refresh token is the HttpOnly cookie's: the body carries none, the header marks the browser.
    expect(JSON.parse(fetchMock.mock.calls[1]?.[1]?.body as string)).toEqual({});
    expect((fetchMock.mock.calls[1]?.[1]?.headers as Record<string, string>)['X-Ksbfolio-Client']).toBe('browser');
    expect(fetchMock.mock.calls[1]?.[1]?.credentials).toBe('same-origin');
    expect(authHeader(fetchMock.mock.calls[2])).toBe('Bearer access-2');
    expect(session.mayResume()).toBe(true);
  });

  it('shares one refresh between requests that fail together', async () => {
    session.start(tokens());
    let refreshes = 0;
    mockFetch().mockImplementation((input) => {
      const url = input instanceof Request ? input.url : input.toString();
      if (url.endsWith('/auth/refresh')) {
        refreshes += 1;
        return Promise.resolve(json(tokens({ access_token: 'access-2', refresh_token: 'refresh-2' })));
      }
      return Promise.resolve(session.accessToken() === 'access-2' ? json({ url }) : problem(401, { code: 'token_expired' }));
    });
    const results = await Promise.all([request('/a'), request('/b'), request('/c')]);
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
    const error = await request('/me').catch((e: unknown) => e);
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
    await expect(request('/me')).rejects.toBeInstanceOf(ApiError);
    stop();
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('never refreshes for the login call itself', async () => {
    const fetchMock = mockFetch().mockResolvedValueOnce(problem(401, { code: 'invalid_credentials', detail: 'Wrong.' }));
    const error = await request('/auth/login', { method: 'POST', body: {}, auth: false }).catch((e: unknown) => e);
    expect((error as ApiError).code).toBe('invalid_credentials');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
