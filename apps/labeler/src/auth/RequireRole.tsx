import type { Role } from '@borda/api-contract';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from './session';

/** Signed-out visitors go to /login (and come back after); other roles get the home page. */
export function RequireRole({ roles }: { roles: readonly Role[] }) {
  const { user } = useSession();
  const location = useLocation();
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (!roles.includes(user.role)) return <Navigate to="/" replace />;
  return <Outlet />;
}
