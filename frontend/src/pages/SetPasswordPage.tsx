/** Set a password with the single-use link an administrator had e-mailed to you (/set-password?token=…). */
import { useState, type SubmitEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { redeemPasswordLink } from '../api/auth';
import { ErrorSummary, fieldError, type SummaryItem } from '../components/ErrorSummary';
import { TextInput } from '../components/Fields';
import { PageHeading } from '../components/PageHeading';

const IDS = { new_password: 'new-password' };

export default function SetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems = { new_password: password.length < 12 ? 'Enter a password of 12 characters or more' : undefined };
    setLocal(problems);
    setError(null);
    if (problems.new_password) return;
    setBusy(true);
    try {
      await redeemPasswordLink(token, password);
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <>
        <PageHeading title="Your password is set" />
        <p>
          <Link to="/sign-in">Sign in with your new password</Link>
        </p>
      </>
    );
  }
  const localItems: SummaryItem[] = local.new_password ? [{ href: `#${IDS.new_password}`, message: local.new_password }] : [];
  const invalidLink: SummaryItem[] | undefined =
    error instanceof ApiError && error.status === 401
      ? [{ message: 'This link has been used, has expired, or a newer one was made. Ask your administrator for a new link.' }]
      : undefined;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {localItems.length > 0 ? <ErrorSummary items={localItems} /> : <ErrorSummary error={error} items={invalidLink} fieldIds={IDS} />}
        <PageHeading title="Set your password" />
        {token === '' ? (
          <p>This page needs the link from the email your administrator had sent to you. Open that link again, or ask for a new one.</p>
        ) : (
          <form onSubmit={(e) => void handleSubmit(e)} noValidate>
            <TextInput id={IDS.new_password} label="New password" hint="12 to 256 characters. The link works once and for 24 hours." type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError(error, 'new_password', local)} />
            <button className="nhsuk-button" type="submit" disabled={busy}>
              {busy ? 'Setting…' : 'Set password'}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
