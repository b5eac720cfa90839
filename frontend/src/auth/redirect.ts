/** Where to go after signing in, guarded against open redirects. */

export function signInPath(next: string, expired = false): string {
  const params = new URLSearchParams();
  if (next && next !== '/') params.set('next', next);
  if (expired) params.set('expired', '1');
  const qs = params.toString();
  return `/sign-in${qs ? `?${qs}` : ''}`;
}

/** Only same-origin paths: "/x" yes, "//evil.example" or "https://…" no. */
export function safeNext(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return '/';
  }
  if (next.startsWith('/sign-in')) return '/';
  return next;
}
