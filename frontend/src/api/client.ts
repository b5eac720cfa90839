/**
 * The one HTTP client of the app.
 *
 * - attaches the bearer access token;
 * - turns every failure into an `ApiError` (problem+json parsed when present);
 * - on a 401, makes ONE quiet refresh (shared by all requests that fail at the same time),
 *   then retries the request once; if the refresh fails the session ends and
 *   `onSessionExpired` sends the user to /sign-in?next=… .
 */
import { session } from './session';
import type { FieldError, Page, Problem, TokenResponse } from './types';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  readonly status: number;
  /** Stable snake_case code from the backend, or a client-side one (network_error, http_500). */
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly fieldErrors: FieldError[];
  /** Seconds, from Retry-After on 429/503. */
  readonly retryAfter: number | null;

  constructor(status: number, problem: Problem, retryAfter: number | null = null) {
    const title = problem.title ?? defaultTitle(status);
    const detail = problem.detail ?? title;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? (status === 0 ? 'network_error' : `http_${status}`);
    this.title = title;
    this.detail = detail;
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors.filter(isFieldError) : [];
    this.retryAfter = retryAfter;
  }

  /** Message for one field, if the server named it (or an item of it: `ksbs[2]` is `ksbs`). */
  fieldMessage(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === field || baseField(e.field) === field)?.message;
  }
}

/**
 * The form field a server field name belongs to: the server names items of a list and members
 * of an object as the client sent them (`ksbs[2]`, `address.line1`).
 */
export function baseField(name: string): string {
  return name.split(/[.[]/)[0] ?? name;
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.field === 'string' && typeof v.message === 'string';
}

function defaultTitle(status: number): string {
  if (status === 0) return 'The service could not be reached. Check your connection and try again.';
  if (status === 401) return 'You need to sign in again.';
  if (status === 403) return 'You do not have permission to do that.';
  if (status === 404) return 'Not found.';
  if (status === 409) return 'That conflicts with something that already exists.';
  if (status === 412) return 'Someone changed this since you opened it.';
  if (status === 413) return 'The file is too large.';
  if (status === 422) return 'Some details need correcting.';
  if (status === 429) return 'Too many attempts. Wait a moment and try again.';
  if (status >= 500) return 'Sorry, there is a problem with the service. Try again later.';
  return `Request failed (${status}).`;
}

function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Build an ApiError from a non-OK response, reading problem+json (or plain JSON) bodies. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let problem: Problem = {};
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body: unknown = await response.json();
      if (typeof body === 'object' && body !== null) problem = body;
    } catch {
      // A broken body still yields an error with a sensible default message.
    }
  }
  return new ApiError(response.status, problem, parseRetryAfter(response.headers.get('retry-after')));
}

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

// ---- refresh, single-flight --------------------------------------------------------------

let refreshing: Promise<boolean> | null = null;

/** Marks the browser frontend: the server then keeps the refresh token in its HttpOnly cookie. */
export const CLIENT_HEADER = { 'X-Ksbfolio-Client': 'browser' } as const;

async function exchangeCookie(): Promise<boolean> {
  try {
    const response = await fetch(`${API_BASE}/auth/refresh`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...CLIENT_HEADER },
      body: '{}',
    });
    if (!response.ok) return false;
    session.start((await response.json()) as TokenResponse);
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

// ---- requests ----------------------------------------------------------------------------

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** JSON-encoded unless it is FormData (multipart) or a Blob (a file sent as it is, its type in `headers`) */
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  /** false for the login call: no token, no refresh dance */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  headers: Headers;
  status: number;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData || options.body instanceof Blob) {
    body = options.body; // multipart: the browser sets the boundary; a Blob: the caller's type
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const token = options.auth === false ? null : session.accessToken();
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, {});
  }
}

/** Send a request and return the raw successful Response (for downloads and headers). */
export async function requestRaw(path: string, options: RequestOptions = {}): Promise<Response> {
  let response = await send(path, options);
  if (response.status === 401 && options.auth !== false) {
    if (await refreshSession()) {
      response = await send(path, options);
    }
    if (response.status === 401) {
      session.clear();
      expiredHandler();
    }
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

/** Send a request and decode the JSON body (undefined for 204), keeping headers (ETag). */
export async function requestWithMeta<T>(
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const response = await requestRaw(path, options);
  const text = response.status === 204 ? '' : await response.text();
  const data = (text ? JSON.parse(text) : undefined) as T;
  return { data, headers: response.headers, status: response.status };
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await requestWithMeta<T>(path, options)).data;
}

/** The largest page the server gives (`limit` is 1–200 on every list). */
export const MAX_LIMIT = 200;

/**
 * Every item of a paged list, fetched page after page at the largest page size: for pickers
 * and the caseload, which need the whole list to filter and sort it in the browser.
 */
export async function requestAll<T>(path: string, query: RequestOptions['query'] = {}): Promise<Page<T>> {
  const items: T[] = [];
  for (;;) {
    const page = await request<Page<T>>(path, { query: { ...query, limit: MAX_LIMIT, offset: items.length } });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) {
      return { items, total: page.total, limit: MAX_LIMIT, offset: 0 };
    }
  }
}

// ---- uploads with progress ---------------------------------------------------------------

/** Bytes sent so far of the request body, and its size. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

function sendWithProgress(path: string, form: FormData, onProgress: (p: UploadProgress) => void): Promise<Response> {
  // fetch cannot report how much of a request body has been sent (streaming request bodies need
  // HTTP/2 and are Chromium-only), so uploads go through XMLHttpRequest's upload events.
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl(path));
    xhr.setRequestHeader('Accept', 'application/json');
    const token = session.accessToken();
    if (token !== null) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    };
    xhr.onload = () => {
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const at = line.indexOf(':');
        if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      const status = xhr.status;
      resolve(new Response(status === 204 ? null : xhr.responseText, { status, headers }));
    };
    xhr.onerror = () => reject(new ApiError(0, {}));
    xhr.onabort = () => reject(new ApiError(0, {}));
    xhr.send(form);
  });
}

/**
 * POST a multipart form, reporting upload progress; the same bearer token, one quiet refresh
 * on 401 and problem+json errors as `request`.
 */
export async function uploadWithProgress<T>(
  path: string,
  form: FormData,
  onProgress: (p: UploadProgress) => void = () => undefined,
): Promise<T> {
  let response = await sendWithProgress(path, form, onProgress);
  if (response.status === 401) {
    if (await refreshSession()) response = await sendWithProgress(path, form, onProgress);
    if (response.status === 401) {
      session.clear();
      expiredHandler();
    }
  }
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}
