import { Navigate } from 'react-router';
import type { Role } from '../api/types';
import { useUser } from '../auth/AuthContext';

const HOME: Record<Role, string> = {
  apprentice: '/progress',
  employer: '/inbox',
  provider: '/inbox',
  admin: '/admin/organisations',
};

/** "/" sends each role to its own starting page: mentors and tutors start at their inbox. */
export function HomePage() {
  const user = useUser();
  return <Navigate to={HOME[user.role]} replace />;
}
