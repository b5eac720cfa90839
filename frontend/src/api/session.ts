/**
 * Where the tokens live.
 *
 * Security decision: the short-lived access token is kept only in memory (a module variable),
 * so it is never written anywhere a script could read it later, and it dies with the page. The
 * refresh token is never seen by scripts at all: the server keeps it in an `HttpOnly; Secure;
 * SameSite=Strict` cookie scoped to `/api/v1/auth` (see the server's `api/refresh_cookie.rs`),
 * which every tab of the browser shares, so a tab opened with Ctrl+click is signed in too.
 * A refresh through the cookie needs the `X-Ksbfolio-Client: browser` header, which another
 * site cannot send (CSRF defence besides SameSite).
 *
 * All this module keeps in storage is a hint, not a secret: whether this browser signed in, so
 * that a fresh tab knows to try a quiet refresh instead of showing the sign-in page first.
 */
import type { TokenResponse, User } from './types';

const SIGNED_IN_HINT = 'ksbfolio.signed_in';

let accessToken: string | null = null;
let currentUser: User | null = null;

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    // Storage can be blocked by browser policy; the app still works for this page's life.
    return null;
  }
}

export const session = {
  accessToken(): string | null {
    return accessToken;
  },
  /** Whether this browser holds a sign-in worth resuming (the cookie itself is unreadable). */
  mayResume(): boolean {
    return storage()?.getItem(SIGNED_IN_HINT) === '1';
  },
  user(): User | null {
    return currentUser;
  },
  /** Store a fresh login or refresh answer. */
  start(tokens: TokenResponse): void {
    accessToken = tokens.access_token;
    currentUser = tokens.user;
    storage()?.setItem(SIGNED_IN_HINT, '1');
  },
  setUser(user: User): void {
    currentUser = user;
  },
  /** Forget everything; the next request goes out without credentials. */
  clear(): void {
    accessToken = null;
    currentUser = null;
    storage()?.removeItem(SIGNED_IN_HINT);
  },
};
