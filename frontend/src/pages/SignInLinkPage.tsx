/**
 * Where a sign-in link from an e-mail lands: /sign-in/link?token=…&next=…. The link is spent
 * only when the person presses the button (mail scanners that open links do not spend it), and
 * then they go to the page the link opens. A used or expired link sends them to sign in, still
 * headed for that page.
 */
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { safeNext, signInPath } from '../auth/redirect';
import { ErrorSummary } from '../components/ErrorSummary';
import { PageHeading } from '../components/PageHeading';

export default function SignInLinkPage() {
  const { signInWithLink } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const next = safeNext(params.get('next'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function handleContinue() {
    setBusy(true);
    setError(null);
    try {
      const tokens = await signInWithLink(token);
      void navigate(safeNext(tokens.next ?? next), { replace: true });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  const spent = (error instanceof ApiError && error.status === 401) || token === '';
  if (spent) {
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <PageHeading title="This sign-in link does not work any more" />
          <p>A link works once, and only for a while: 15 minutes when you asked for it, 72 hours in a notification. A newer link also replaces an older one.</p>
          <p>
            <Link to={signInPath(next)}>Sign in</Link> with your password, or ask for a new link there. You will then go straight to the page the link was for.
          </p>
        </div>
      </div>
    );
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary error={error} />
        <PageHeading title="Sign in to ksbfolio" />
        <p>You opened a sign-in link. It works once.</p>
        <button className="nhsuk-button" type="button" disabled={busy} onClick={() => void handleContinue()}>
          {busy ? 'Signing in…' : 'Continue'}
        </button>
      </div>
    </div>
  );
}
