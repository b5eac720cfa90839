/**
 * Holds who is signed in. At start-up, when this browser has signed in before, the refresh
 * cookie is exchanged quietly, so a reload or a new tab keeps the user signed in. When the API client cannot renew
 * an expired session, the status becomes "expired" and <RequireAuth> sends the user to
 * /sign-in?next=<where they were>.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { login, logout, redeemSignInLink } from '../api/auth';
import { onSessionExpired, refreshSession } from '../api/client';
import { session } from '../api/session';
import type { User } from '../api/types';
import { AuthContext, type AuthState } from './AuthContext';

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(() => session.user());
  const [status, setStatus] = useState<AuthState['status']>(() =>
    session.user() !== null ? 'signed_in' : session.mayResume() ? 'checking' : 'signed_out',
  );
  const queryClient = useQueryClient();

  useEffect(() => {
    if (status !== 'checking') return;
    let cancelled = false;
    void refreshSession().then((ok) => {
      if (cancelled) return;
      setUser(ok ? session.user() : null);
      setStatus(ok ? 'signed_in' : 'signed_out');
    });
    return () => {
      cancelled = true;
    };
  }, [status]);

  // Every page that calls the API sits behind <RequireAuth>, which sends a signed-out user to
  // /sign-in?next=<this page>&expired=1; here we only drop the user and their cached data.
  useEffect(
    () =>
      onSessionExpired(() => {
        setUser(null);
        setStatus('expired');
        queryClient.clear();
      }),
    [queryClient],
  );

  const signIn = useCallback(async (email: string, password: string) => {
    const tokens = await login(email, password);
    setUser(tokens.user);
    setStatus('signed_in');
    return tokens.user;
  }, []);

  const signInWithLink = useCallback(async (token: string) => {
    const tokens = await redeemSignInLink(token);
    setUser(tokens.user);
    setStatus('signed_in');
    return tokens;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await logout();
    } finally {
      queryClient.clear();
      setUser(null);
      setStatus('signed_out');
    }
  }, [queryClient]);

  const value = useMemo(
    () => ({ status, user, signIn, signInWithLink, signOut }),
    [status, user, signIn, signInWithLink, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
