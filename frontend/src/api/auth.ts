/** /auth/* and /me. */
import { request } from './client';
import { session } from './session';
import type { TokenResponse, User } from './types';

/** POST /auth/login → 200 tokens; 401 bad credentials; 429 throttled (Retry-After). */
export async function login(email: string, password: string): Promise<TokenResponse> {
  const tokens = await request<TokenResponse>('/auth/login', {
    method: 'POST',
    body: { email, password },
    auth: false,
  });
  session.start(tokens);
  return tokens;
}

/** POST /auth/logout → 204; the local session ends whatever the server says. */
export async function logout(): Promise<void> {
  const refreshToken = session.refreshToken();
  try {
    if (refreshToken !== null) {
      await request<undefined>('/auth/logout', {
        method: 'POST',
        body: { refresh_token: refreshToken },
        auth: false,
      });
    }
  } finally {
    session.clear();
  }
}

export function fetchMe(): Promise<User> {
  return request<User>('/me');
}
