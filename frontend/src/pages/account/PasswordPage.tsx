/** Change your own password: the current one, then the new one. Every other session ends. */
import { useRef, useState, type SubmitEvent } from 'react';
import { changePassword } from '../../api/auth';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { TextInput } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';

const IDS = { current_password: 'current-password', new_password: 'new-password' };

export default function PasswordPage() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const confirmation = useRef<HTMLDivElement>(null);

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems = {
      current_password: current === '' ? 'Enter your current password' : undefined,
      new_password: next.length < 12 ? 'Enter a new password of 12 characters or more' : undefined,
    };
    setLocal(problems);
    setError(null);
    setDone(false);
    if (problems.current_password || problems.new_password) return;
    setBusy(true);
    try {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setDone(true);
      requestAnimationFrame(() => confirmation.current?.focus());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const localItems: SummaryItem[] = Object.entries(local).flatMap(([field, message]) =>
    message ? [{ href: `#${IDS[field as keyof typeof IDS]}`, message }] : [],
  );

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {localItems.length > 0 ? <ErrorSummary items={localItems} /> : <ErrorSummary error={error} fieldIds={IDS} />}
        <PageHeading title="Change your password" />
        {done && (
          <div className="nhsuk-inset-text" role="status" tabIndex={-1} ref={confirmation} data-testid="password-changed">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>Your password has been changed. You have been signed out everywhere else.</p>
          </div>
        )}
        <form onSubmit={(e) => void handleSubmit(e)} noValidate>
          <TextInput id={IDS.current_password} label="Current password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} error={fieldError(error, 'current_password', local)} />
          <TextInput id={IDS.new_password} label="New password" hint="12 to 256 characters. A few unrelated words are easy to remember and hard to guess." type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} error={fieldError(error, 'new_password', local)} />
          <button className="nhsuk-button" type="submit" disabled={busy}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </form>
      </div>
    </div>
  );
}
