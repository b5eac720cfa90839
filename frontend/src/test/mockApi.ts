/** A tiny fake of the API for page tests: routes "METHOD /path" (no query) to handlers. */
import { vi } from 'vitest';
import { problem } from './fixtures';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (req: FakeRequest) => Response | Promise<Response>;

export function mockApi(routes: Record<string, Handler>) {
  const calls: FakeRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString(), 'http://localhost');
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : init?.body;
    const req: FakeRequest = { method, path, query: url.searchParams, headers: (init?.headers ?? {}) as Record<string, string>, body };
    calls.push(req);
    const handler = routes[`${method} ${path}`];
    if (!handler) return problem(404, { code: 'not_found', detail: `No fake for ${method} ${path}` });
    return handler(req);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}
