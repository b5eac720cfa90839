/**
 * Failures as the app sees them: every error answer is RFC 9457 problem+json, read into one
 * `ApiError` with the server's `code`, human `detail` and field errors; failures that never
 * reached the server (network, an HTML 502 from a proxy) get the same shape with readable defaults.
 */
import type { FieldError, Problem } from './types';

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

/** An error from a failed answer whose body the typed client has already read (JSON or text). */
export function errorFromBody(response: Response, body: unknown): ApiError {
  const problem: Problem = typeof body === 'object' && body !== null ? body : {};
  return new ApiError(response.status, problem, parseRetryAfter(response.headers.get('retry-after')));
}
