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
  vi.stubGlobal('XMLHttpRequest', fakeXhr(routes, calls));
  return { calls, fetchMock };
}

/**
 * Uploads go through XMLHttpRequest (for progress events): the same routes answer them, and the
 * fake reports the whole body sent once before the answer arrives.
 */
function fakeXhr(routes: Record<string, Handler>, calls: FakeRequest[]) {
  return class FakeXMLHttpRequest {
    readonly upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    status = 0;
    responseText = '';
    private method = 'GET';
    private url = '';
    private headers: Record<string, string> = {};
    private responseHeaders = '';

    open(method: string, url: string) {
      this.method = method;
      this.url = url;
    }

    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }

    getAllResponseHeaders() {
      return this.responseHeaders;
    }

    send(body: unknown) {
      const url = new URL(this.url, 'http://localhost');
      const path = url.pathname.replace(/^\/api\/v1/, '');
      const req: FakeRequest = { method: this.method, path, query: url.searchParams, headers: this.headers, body };
      calls.push(req);
      const handler = routes[`${this.method} ${path}`];
      void (async () => {
        const response = handler
          ? await handler(req)
          : problem(404, { code: 'not_found', detail: `No fake for ${this.method} ${path}` });
        const file = body instanceof FormData ? body.get('file') : null;
        const size = file instanceof Blob ? file.size : 0;
        this.upload.onprogress?.({ lengthComputable: true, loaded: size, total: size } as ProgressEvent);
        this.status = response.status;
        this.responseText = await response.text();
        this.responseHeaders = [...response.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\r\n');
        this.onload?.();
      })();
    }
  };
}
