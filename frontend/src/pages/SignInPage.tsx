/**
 * Sign in, then return to where the user was going (?next=), or to their home page. Instead of a
 * password, a person may ask for a sign-in link by e-mail; the answer is the same whether or not
 * the address has an account.
 */
import { useState, type SubmitEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { requestSignInLink } from '../api/auth';
import { ApiError } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { safeNext } from '../auth/redirect';
import { ErrorSummary, fieldError, type SummaryItem } from '../components/ErrorSummary';
import { TextInput } from '../components/Fields';
import { PageHeading } from '../components/PageHeading';

const FIELD_IDS = { email: 'email', password: 'password' };

export function SignInPage() {
  const { signIn, user, status } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [linkSent, setLinkSent] = useState<string | null>(null);

  if (user !== null && status === 'signed_in' && !busy) return <Navigate to={next} replace />;

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems = {
      email: email.trim() === '' ? 'Enter your email address' : undefined,
      password: password === '' ? 'Enter your password' : undefined,
    };
    setLocal(problems);
    setError(null);
    if (problems.email || problems.password) return;
    setBusy(true);
    try {
      await signIn(email.trim(), password);
      void navigate(next, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function handleLinkRequest() {
    const problems = { email: email.trim() === '' ? 'Enter your email address to get a sign-in link' : undefined };
    setLocal(problems);
    setError(null);
    setLinkSent(null);
    if (problems.email) return;
    setBusy(true);
    try {
      const answer = await requestSignInLink(email.trim());
      setLinkSent(answer.detail);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const localItems: SummaryItem[] = Object.entries(local).flatMap(([field, message]) =>
    message ? [{ href: `#${field}`, message }] : [],
  );
  const serverItems: SummaryItem[] | undefined =
    error instanceof ApiError && error.status === 401
      ? [{ message: 'The email address or password is not right. Check them and try again.' }]
      : undefined;

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {params.get('expired') === '1' && localItems.length === 0 && error === null && (
          <div className="nhsuk-inset-text" role="status">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>Your session has ended. Sign in again to carry on where you were.</p>
          </div>
        )}
        {params.get('signed_out') === '1' && (
          <div className="nhsuk-inset-text" role="status">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>You have signed out.</p>
          </div>
        )}
        {localItems.length > 0 ? (
          <ErrorSummary items={localItems} />
        ) : (
          <ErrorSummary error={error} items={serverItems} fieldIds={FIELD_IDS} />
        )}
        <PageHeading title="Sign in" />
        {linkSent !== null && (
          <div className="nhsuk-inset-text" role="status" data-testid="sign-in-link-sent">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>{linkSent} Open it on this device to sign in.</p>
          </div>
        )}
        <form onSubmit={(e) => void handleSubmit(e)} noValidate>
          <TextInput
            id="email"
            label="Email address"
            type="email"
            autoComplete="username"
            spellCheck={false}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fieldError(error, 'email', local)}
          />
          <TextInput
            id="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldError(error, 'password', local)}
          />
          <button className="nhsuk-button" type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          <p className="nhsuk-body">No password, or forgotten it? Enter your email address and we will send you a link that signs you in.</p>
          <button className="nhsuk-button nhsuk-button--secondary" type="button" disabled={busy} onClick={() => void handleLinkRequest()}>
            Email me a sign-in link
          </button>
        </form>
        <p>
          <Link to="/forgotten-password">Forgotten your password?</Link>
        </p>
      </div>
    </div>
  );
}
