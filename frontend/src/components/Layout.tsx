/** Page frame: skip link, NHS header with role navigation, main landmark, footer. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';
import type { Role } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ROLE_LABELS } from '../lib/format';
import { requestRouteFocus } from './routeFocus';

const NAV: Record<Role, { to: string; label: string }[]> = {
  apprentice: [
    { to: '/progress', label: 'My progress' },
    { to: '/my-evidence', label: 'My evidence' },
    { to: '/my-evidence/new', label: 'Add evidence' },
    { to: '/inbox', label: 'Inbox' },
  ],
  employer: [
    { to: '/inbox', label: 'Inbox' },
    { to: '/apprentices', label: 'My apprentices' },
    { to: '/signoff-queue', label: 'Sign-off queue' },
  ],
  provider: [
    { to: '/inbox', label: 'Inbox' },
    { to: '/caseload', label: 'Caseload' },
    { to: '/review-queue', label: 'Review queue' },
    { to: '/otj-queue', label: 'Off-the-job queue' },
    { to: '/imports', label: 'Import a cohort' },
  ],
  admin: [
    { to: '/admin/organisations', label: 'Organisations' },
    { to: '/admin/users', label: 'Users' },
    { to: '/admin/apprenticeships', label: 'Apprenticeships' },
    { to: '/imports', label: 'Import a cohort' },
  ],
};

function NhsLogo() {
  return (
    <svg className="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS">
      <title>NHS</title>
      <path
        fill="currentcolor"
        d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"
      />
    </svg>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const first = useRef(true);
  const [signingOut, setSigningOut] = useState(false);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    requestRouteFocus();
  }, [location.pathname]);

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      setSigningOut(false);
      void navigate('/sign-in?signed_out=1');
    }
  }

  return (
    <>
      <a className="nhsuk-skip-link" href="#maincontent">
        Skip to main content
      </a>
      <header className="nhsuk-header" role="banner">
        <div className="nhsuk-header__container nhsuk-width-container">
          <div className="nhsuk-header__service">
            <Link className="nhsuk-header__service-logo" to="/" aria-label="ksbfolio homepage">
              <NhsLogo />
              <span className="nhsuk-header__service-name">ksbfolio</span>
            </Link>
          </div>
          {user && (
            <nav className="nhsuk-header__account" aria-label="Account">
              <ul className="nhsuk-header__account-list">
                <li className="nhsuk-header__account-item" data-testid="signed-in-as">
                  {user.name} ({ROLE_LABELS[user.role]})
                </li>
                <li className="nhsuk-header__account-item">
                  <Link className="nhsuk-header__account-link" to="/account/password">
                    Change password
                  </Link>
                </li>
                <li className="nhsuk-header__account-item">
                  <Link className="nhsuk-header__account-link" to="/account/notifications">
                    Notifications
                  </Link>
                </li>
                <li className="nhsuk-header__account-item">
                  <button
                    type="button"
                    className="nhsuk-header__account-button"
                    onClick={() => void handleSignOut()}
                    disabled={signingOut}
                  >
                    Sign out
                  </button>
                </li>
              </ul>
            </nav>
          )}
        </div>
        {user && (
          <nav className="nhsuk-header__navigation" aria-label="Menu">
            <div className="nhsuk-header__navigation-container nhsuk-width-container">
              <ul className="nhsuk-header__navigation-list">
                {NAV[user.role].map((item) => (
                  <li className="nhsuk-header__navigation-item" key={item.to}>
                    <NavLink className="nhsuk-header__navigation-link" to={item.to} end>
                      {item.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          </nav>
        )}
      </header>
      <div className="nhsuk-width-container">
        <main className="nhsuk-main-wrapper" id="maincontent" tabIndex={-1}>
          {children}
        </main>
      </div>
      <footer className="nhsuk-footer" role="contentinfo">
        <div className="nhsuk-width-container">
          <div className="nhsuk-footer__meta">
            <h2 className="nhsuk-u-visually-hidden">Support links</h2>
            <ul className="nhsuk-footer__list">
              <li className="nhsuk-footer__list-item">
                <Link className="nhsuk-footer__list-item-link" to="/accessibility">
                  Accessibility statement
                </Link>
              </li>
            </ul>
            <p className="nhsuk-body-s">ksbfolio – Healthcare science associate (ST0220) evidence portfolio</p>
          </div>
        </div>
      </footer>
    </>
  );
}
