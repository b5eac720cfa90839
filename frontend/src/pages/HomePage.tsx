import { Navigate } from 'react-router';
import type { Role } from '../api/types';
import { useUser } from '../auth/AuthContext';

const HOME: Record<Role, string> = {
  apprentice: '/progress',
  employer: '/apprentices',
  provider: '/caseload',
  admin: '/admin/organisations',
};

/** "/" sends each role to its own starting page. */
export function HomePage() {
  const user = useUser();
  return <Navigate to={HOME[user.role]} replace />;
}
