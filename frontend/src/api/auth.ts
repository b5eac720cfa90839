/** /auth/* and /me. */
import { api, body, CLIENT_HEADER, publicApi } from './client';
import { session } from './session';
import type { Delivery, NotificationSettings, TokenResponse, User } from './types';

/** POST /auth/login → 200 tokens; 401 bad credentials; 429 throttled (Retry-After). */
export async function login(email: string, password: string): Promise<TokenResponse> {
  const tokens = await body(publicApi.POST('/api/v1/auth/login', { body: { email, password }, headers: CLIENT_HEADER }));
  session.start(tokens);
  return tokens;
}

/** POST /auth/logout → 204 and the cookie cleared; the local session ends whatever the server says. */
export async function logout(): Promise<void> {
  try {
    await body(publicApi.POST('/api/v1/auth/logout', { body: {}, headers: CLIENT_HEADER }));
  } finally {
    session.clear();
  }
}

export function fetchMe(): Promise<User> {
  return body(api.GET('/api/v1/me'));
}

/** POST /me/password → 204; 422 on `current_password` or `new_password`; 429 after five wrong guesses. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await body(api.POST('/api/v1/me/password', { body: { current_password: currentPassword, new_password: newPassword } }));
}

/** POST /auth/password-link/redeem → 204; 401 for a used, expired or unknown link. */
export async function redeemPasswordLink(token: string, newPassword: string): Promise<void> {
  await body(publicApi.POST('/api/v1/auth/password-link/redeem', { body: { token, new_password: newPassword } }));
}

/** POST /auth/sign-in-link → 202 with the same words whether or not the address has an account; 429 throttled. */
export function requestSignInLink(email: string): Promise<{ detail: string }> {
  return body(publicApi.POST('/api/v1/auth/sign-in-link', { body: { email } }));
}

/** POST /auth/sign-in-link/redeem → 200 tokens and `next`, the page the link opens; 401 for a used, expired or unknown link. */
export async function redeemSignInLink(token: string): Promise<TokenResponse> {
  const tokens = await body(publicApi.POST('/api/v1/auth/sign-in-link/redeem', { body: { token }, headers: CLIENT_HEADER }));
  session.start(tokens);
  return tokens;
}

/** GET /me/notifications: how I hear about what waits for me. */
export function getNotificationSettings(): Promise<NotificationSettings> {
  return body(api.GET('/api/v1/me/notifications'));
}

/** PUT /me/notifications → 200 the settings as they now are. */
export function putNotificationSettings(delivery: Delivery): Promise<NotificationSettings> {
  return body(api.PUT('/api/v1/me/notifications', { body: { delivery } }));
}
