/**
 * Where the tokens live.
 *
 * Security decision: the short-lived access token is kept only in memory (a module variable),
 * so it is never written anywhere a script or another tab could read it later, and it dies
 * with the page. The refresh token goes to sessionStorage, not localStorage and not memory:
 *  - memory alone would sign the user out on every reload, which loses unsaved context;
 *  - sessionStorage is scoped to this tab and cleared when the tab closes, so a shared
 *    NHS workstation does not keep a session alive after the browser window is shut,
 *    and a second tab does not silently share it;
 *  - unlike a cookie it is never sent automatically, so there is no CSRF surface.
 * The residual risk (an XSS payload can read sessionStorage) is the same as for any
 * bearer-token SPA; the backend limits it by rotating refresh tokens on every use and
 * revoking them on logout. An httpOnly cookie for the refresh token would remove that risk
 * and can replace this module without changing the client.
 */
import type { TokenResponse, User } from './types';

const REFRESH_KEY = 'ksbfolio.refresh_token';

let accessToken: string | null = null;
let currentUser: User | null = null;

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    // Storage can be blocked by browser policy; the app still works for this page's life.
    return null;
  }
}

export const session = {
  accessToken(): string | null {
    return accessToken;
  },
  refreshToken(): string | null {
    return storage()?.getItem(REFRESH_KEY) ?? null;
  },
  user(): User | null {
    return currentUser;
  },
  /** Store a fresh login or refresh answer. */
  start(tokens: TokenResponse): void {
    accessToken = tokens.access_token;
    currentUser = tokens.user;
    storage()?.setItem(REFRESH_KEY, tokens.refresh_token);
  },
  setUser(user: User): void {
    currentUser = user;
  },
  /** Forget everything; the next request goes out without credentials. */
  clear(): void {
    accessToken = null;
    currentUser = null;
    storage()?.removeItem(REFRESH_KEY);
  },
};
