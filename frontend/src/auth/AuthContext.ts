import { createContext, useContext } from 'react';
import type { TokenResponse, User } from '../api/types';

export interface AuthState {
  /**
   * "checking" while a stored refresh token is being exchanged at start-up; "expired" when the
   * API client could not renew the session (the sign-in page then says so).
   */
  status: 'checking' | 'signed_in' | 'signed_out' | 'expired';
  user: User | null;
  signIn: (email: string, password: string) => Promise<User>;
  /** Signs in with the token of a link from an e-mail; resolves to the tokens, whose `next` is the page it opens. */
  signInWithLink: (token: string) => Promise<TokenResponse>;
  signOut: () => Promise<void>;
}

export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (value === null) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user; only for components rendered behind <RequireAuth>. */
export function useUser(): User {
  const { user } = useAuth();
  if (user === null) throw new Error('useUser needs a signed-in user');
  return user;
}
