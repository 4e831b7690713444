import { Navigate } from 'react-router';
import { useSession } from '../auth/session';

/** The landing route: labelers to their campaigns, researchers and admins to the console. */
export function HomePage() {
  const { user } = useSession();
  if (!user) return <Navigate to="/login" replace />;
  return <Navigate to={user.role === 'labeler' ? '/label' : '/console'} replace />;
}
