/**
 * Load a cohort from CSV: people, then their enrolments. The server checks the whole file first
 * and writes nothing unless every line is good, so the page lists every bad line to fix; a
 * re-upload of the same file changes nothing.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { importApprenticeships, importUsers } from '../../api/admin';
import type { ApprenticeshipImport, UserImport } from '../../api/types';
import { useUser } from '../../auth/AuthContext';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageHeading } from '../../components/PageHeading';
import { invalidate } from '../../hooks/queries';

const USERS_HEADER = 'email,name,role,organisation';
const ENROLMENTS_HEADER = 'apprentice_email,standard,employer,provider,mentor_email,tutor_email,start_date,expected_end_date,planned_otj_hours';

function FileForm({ id, label, hint, busy, onFile }: { id: string; label: string; hint: string; busy: boolean; onFile: (file: File) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [missing, setMissing] = useState(false);
  function handle(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    setMissing(file === undefined);
    if (file) onFile(file);
  }
  return (
    <form onSubmit={handle} noValidate>
      <div className={`nhsuk-form-group${missing ? ' nhsuk-form-group--error' : ''}`}>
        <label className="nhsuk-label" htmlFor={id}>
          {label}
        </label>
        <div className="nhsuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
        {missing && (
          <span className="nhsuk-error-message" id={`${id}-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> Choose a CSV file
          </span>
        )}
        <input className="nhsuk-input" id={id} name={id} type="file" accept=".csv,text/csv" ref={input} aria-describedby={`${id}-hint${missing ? ` ${id}-error` : ''}`} />
      </div>
      <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={busy}>
        {busy ? 'Importing…' : 'Import'}
      </button>
    </form>
  );
}

function Result({ result }: { result: UserImport | ApprenticeshipImport }) {
  const mailed = 'lines' in result ? result.lines.flatMap((l) => ('password_link_sent' in l && l.password_link_sent ? [l.email] : [])) : [];
  return (
    <div className="nhsuk-inset-text" role="status" data-testid="import-result">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>
        Imported: {result.created} created, {result.unchanged} already there (unchanged).
      </p>
      {mailed.length > 0 && (
        <>
          <p>Each new person was e-mailed a link to set their password. It works once, for 24 hours.</p>
          <ul className="nhsuk-list">
            {mailed.map((email) => (
              <li key={email}>{email}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export default function ImportsPage() {
  const admin = useUser().role === 'admin';
  const queryClient = useQueryClient();
  const people = useMutation({ mutationFn: importUsers, onSuccess: () => invalidate.users(queryClient) });
  const enrolments = useMutation({ mutationFn: importApprenticeships, onSuccess: () => invalidate.apprenticeships(queryClient) });
  return (
    <>
      <ErrorSummary error={people.error ?? enrolments.error} />
      <PageHeading title="Import a cohort" />
      <p>Save the spreadsheet as CSV (UTF-8). The whole file is checked first: if any line has a problem nothing is imported, and every problem is listed with its line number. Importing the same file again changes nothing.</p>

      <h2>1. People</h2>
      <p>
        Header: <code>{USERS_HEADER}</code>. The role is {admin ? 'admin, provider, employer or apprentice' : 'apprentice (mentors and tutors are added by an administrator)'}; the organisation is its name as shown in ksbfolio.
        Nobody&apos;s password goes in the file: each new person is e-mailed a link to set their own.
      </p>
      <FileForm id="import-users" label="People file" hint="A .csv file" busy={people.isPending} onFile={(f) => { enrolments.reset(); people.mutate(f); }} />
      {people.data && <Result result={people.data} />}

      <h2>2. Enrolments</h2>
      <p>
        Header: <code className="app-break">{ENROLMENTS_HEADER}</code> (planned_otj_hours may be left empty). People by e-mail, organisations by name, dates as YYYY-MM-DD.
      </p>
      <FileForm id="import-enrolments" label="Enrolments file" hint="A .csv file" busy={enrolments.isPending} onFile={(f) => { people.reset(); enrolments.mutate(f); }} />
      {enrolments.data && <Result result={enrolments.data} />}

      {!admin && (
        <>
          <h2>An apprentice moving to your provider</h2>
          <p>
            Bring their portfolio with them: <Link to="/imports/portfolio">import a portfolio</Link> exported by their previous provider.
          </p>
        </>
      )}
    </>
  );
}
