import { NavLink, Outlet, useNavigate } from 'react-router';
import { useSession } from '../auth/session';

export function Layout() {
  const { user, logout } = useSession();
  const navigate = useNavigate();
  const isResearcher = user?.role === 'researcher' || user?.role === 'admin';
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <NavLink to="/" className="brand" aria-label="Borda home">
          Borda
        </NavLink>
        {user && (
          <nav aria-label="Main">
            <ul className="nav-list">
              {isResearcher && (
                <>
                  <li>
                    <NavLink to="/console" end>
                      Campaigns
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/console/simulations">Simulations</NavLink>
                  </li>
                  {user?.role === 'admin' && (
                    <li>
                      <NavLink to="/console/people">People</NavLink>
                    </li>
                  )}
                </>
              )}
              <li>
                <NavLink to="/label">Label</NavLink>
              </li>
            </ul>
          </nav>
        )}
        {user && (
          <div className="user-menu">
            <span className="user-name">
              {user.name} <span className="muted">({user.role})</span>
            </span>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                logout();
                navigate('/login');
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
