import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { Loading } from '../components/QueryState';
import { ForbiddenPage } from '../pages/ForbiddenPage';
import { useAuth } from './AuthContext';
import { signInPath } from './redirect';

/** Renders children only for a signed-in user (of one of `roles`, when given). */
export function RequireAuth({ roles, children }: { roles?: readonly Role[]; children: ReactNode }) {
  const { status, user } = useAuth();
  const location = useLocation();
  if (status === 'checking') return <Loading label="Checking your session" />;
  if (user === null) {
    return <Navigate to={signInPath(`${location.pathname}${location.search}`, status === 'expired')} replace />;
  }
  if (roles !== undefined && !roles.includes(user.role)) return <ForbiddenPage />;
  return <>{children}</>;
}
