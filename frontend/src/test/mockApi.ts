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
    const request = input instanceof Request ? input : new Request(new URL(input.toString(), 'http://localhost'), init);
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const method = request.method;
    const req: FakeRequest = { method, path, query: url.searchParams, headers: headerRecord(request.headers), body: await bodyOf(request) };
    calls.push(req);
    const handler = routes[`${method} ${path}`];
    if (!handler) return problem(404, { code: 'not_found', detail: `No fake for ${method} ${path}` });
    return handler(req);
  });
  vi.stubGlobal('fetch', fetchMock);
  vi.stubGlobal('XMLHttpRequest', fakeXhr(routes, calls));
  return { calls, fetchMock };
}

/** Headers as the tests name them (`If-Match`, `Content-Type`), whatever case they were sent in. */
function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase())] = value;
  });
  return record;
}

/** JSON bodies decoded; anything else (a CSV file) as its text; none as undefined. */
async function bodyOf(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text === '') return undefined;
  return request.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text;
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
