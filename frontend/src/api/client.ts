/**
 * The one HTTP client of the app: `openapi-fetch` over the paths generated from the server's
 * OpenAPI document (`schema.d.ts`), so every path, parameter, body and answer is typed.
 *
 * - `api` attaches the bearer access token; `publicApi` sends none (sign-in, password links);
 * - every failure becomes an `ApiError` (problem+json parsed when present, see `problem.ts`);
 * - on a 401, `api` makes ONE quiet refresh (shared by all requests that fail at the same time),
 *   then retries the request once; if the refresh fails the session ends and
 *   `onSessionExpired` sends the user to /sign-in?next=… .
 */
import createClient from 'openapi-fetch';
import { ApiError, errorFromBody } from './problem';
import type { paths } from './schema';
import { session } from './session';
import type { Page } from './types';

export { ApiError, baseField, errorFromResponse } from './problem';

/** Marks the browser frontend: the server then keeps the refresh token in its HttpOnly cookie. */
export const CLIENT_HEADER = { 'X-Ksbfolio-Client': 'browser' } as const;

// ---- session expiry hook -----------------------------------------------------------------

type ExpiredHandler = () => void;
let expiredHandler: ExpiredHandler = () => undefined;

/** The auth provider registers where the user goes when the session cannot be renewed. */
export function onSessionExpired(handler: ExpiredHandler): () => void {
  expiredHandler = handler;
  return () => {
    if (expiredHandler === handler) expiredHandler = () => undefined;
  };
}

/** Forget the session and send the user to sign in (also used by uploads). */
export function endSession(): void {
  session.clear();
  expiredHandler();
}

// ---- transport ---------------------------------------------------------------------------

/** The query string, without absent or null values and without the empty filters of forms. */
function serializeQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === '') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params.set(key, String(value));
  }
  return params.toString();
}

/** Requests carry absolute URLs (the `Request` of tests has no page to resolve against). */
function origin(): string {
  return typeof window === 'undefined' ? 'http://localhost' : window.location.origin;
}

/** Network failures become ApiError status 0; a cancelled request stays an AbortError. */
async function send(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, {});
  }
}

function withToken(request: Request): Request {
  const token = session.accessToken();
  if (token === null) return request;
  const headers = new Headers(request.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

/** The signed-in transport: bearer token, and one quiet refresh and retry on 401. */
async function sendSignedIn(request: Request): Promise<Response> {
  // The body can be read once: keep a copy for the retry (it carries the same Idempotency-Key).
  const retry = request.clone();
  const response = await send(withToken(request));
  if (response.status !== 401) return response;
  if (!(await refreshSession())) {
    endSession();
    return response;
  }
  const second = await send(withToken(retry));
  if (second.status === 401) endSession();
  return second;
}

const common = {
  baseUrl: origin(),
  headers: { Accept: 'application/json' },
  querySerializer: serializeQuery,
} as const;

/** The typed client for everything behind sign-in. */
export const api = createClient<paths>({ ...common, fetch: sendSignedIn });

/** The typed client for calls made without a session (no token, no refresh dance). */
export const publicApi = createClient<paths>({ ...common, fetch: send });

// ---- answers -----------------------------------------------------------------------------

/** What openapi-fetch resolves to: the typed `data`, or the error body, and the Response. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The decoded body of a successful answer (undefined for 204), with its headers (ETag). */
export async function answer<T>(pending: Promise<Answer<T>>): Promise<{ data: T; response: Response }> {
  const { data, error, response } = await pending;
  if (!response.ok) throw errorFromBody(response, error);
  // openapi-fetch types `data` as optional on the union of outcomes; an OK answer carries it
  // (undefined exactly when the document says 204).
  return { data: data as T, response };
}

/** The decoded body of a successful answer; an `ApiError` otherwise. */
export async function body<T>(pending: Promise<Answer<T>>): Promise<T> {
  return (await answer(pending)).data;
}

/**
 * A successful answer's body and its `ETag`, for If-Match on the next change: the header, or
 * the same value built from `version` (the document says they agree).
 */
export async function versioned<T extends { version: number }>(pending: Promise<Answer<T>>): Promise<{ data: T; etag: string }> {
  const { data, response } = await answer(pending);
  return { data, etag: response.headers.get('etag') ?? `"${String(data.version)}"` };
}

/** Path parameters and the `If-Match` of the version a change was made on. */
export function ifMatch<P>(path: P, etag: string): { path: P; header: { 'If-Match': string } } {
  return { path, header: { 'If-Match': etag } };
}

/** A fresh key for one creating request; the refresh retry reuses the request, hence the key. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}

/** Path parameters and a fresh `Idempotency-Key`, for the POSTs the document says honour one. */
export function creating<P>(path: P): { path: P; header: { 'Idempotency-Key': string } } {
  return { path, header: { 'Idempotency-Key': idempotencyKey() } };
}

// ---- refresh, single-flight --------------------------------------------------------------

let refreshing: Promise<boolean> | null = null;

async function exchangeCookie(): Promise<boolean> {
  try {
    const { data, response } = await publicApi.POST('/api/v1/auth/refresh', {
      body: {},
      headers: CLIENT_HEADER,
      credentials: 'same-origin',
    });
    if (!response.ok || data === undefined) return false;
    session.start(data);
    return true;
  } catch {
    return false;
  }
}

/**
 * Exchange the refresh cookie for new tokens. The backend rotates refresh tokens and treats a
 * reused one as stolen, so two refreshes must never race: concurrent callers in this tab share
 * one request, and tabs take turns through a Web Lock (every tab shares the cookie), so the
 * second tab's refresh goes out with the cookie the first one received.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (
    typeof navigator !== 'undefined' && 'locks' in navigator
      ? (async () => await navigator.locks.request('ksbfolio-refresh', exchangeCookie))()
      : exchangeCookie()
  ).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

// ---- whole lists -------------------------------------------------------------------------

/** The largest page the server gives (`limit` is 1–200 on every list). */
export const MAX_LIMIT = 200;

/**
 * Every item of a paged list, fetched page after page at the largest page size: for pickers
 * and the caseload, which need the whole list to filter and sort it in the browser.
 */
export async function fetchAll<T>(page: (window: { limit: number; offset: number }) => Promise<Page<T>>): Promise<Page<T>> {
  const items: T[] = [];
  for (;;) {
    const next = await page({ limit: MAX_LIMIT, offset: items.length });
    items.push(...next.items);
    if (next.items.length === 0 || items.length >= next.total) {
      return { items, total: next.total, limit: MAX_LIMIT, offset: 0 };
    }
  }
}
