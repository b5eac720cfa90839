/**
 * Moving provider: staff of the receiving provider import the apprentice's portfolio.zip (as
 * their previous provider exported it) with the new employer, mentor, tutor and start. The
 * server checks every file against its SHA-256 and writes nothing unless the whole archive is
 * good; its problems are listed in the error summary.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { importPortfolio, type PortfolioImport } from '../../api/apprenticeships';
import { useUser } from '../../auth/AuthContext';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Select, TextInput } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { invalidate, useAllUsers, useOrganisations } from '../../hooks/queries';
import { nameOf } from '../../lib/format';

type Form = Omit<PortfolioImport, 'file'>;
const IDS: Record<keyof Form | 'file', string> = {
  file: 'import-file',
  employer_id: 'import-employer',
  mentor_id: 'import-mentor',
  tutor_id: 'import-tutor',
  start_date: 'import-start',
  expected_end_date: 'import-end',
};
const REQUIRED: Partial<Record<keyof Form | 'file', string>> = {
  file: 'Choose the portfolio.zip file',
  employer_id: 'Choose the employer',
  mentor_id: 'Choose the workplace mentor',
  tutor_id: 'Choose the tutor',
  start_date: 'Enter the start date',
};
const LABELS: Record<string, string> = {
  file: 'Portfolio file',
  employer_id: 'Employer',
  mentor_id: 'Workplace mentor',
  tutor_id: 'Tutor',
  start_date: 'Start date',
  expected_end_date: 'Expected end date',
  standard: 'Standard',
  format: 'The archive format',
};
const EMPTY: Form = { employer_id: '', mentor_id: '', tutor_id: '', start_date: '', expected_end_date: '' };

export default function ImportPortfolioPage() {
  const me = useUser();
  const orgs = useOrganisations();
  const mentors = useAllUsers('employer');
  const tutors = useAllUsers('provider');
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [form, setForm] = useState<Form>(EMPTY);
  const [local, setLocal] = useState<SummaryItem[]>([]);

  const run = useMutation({
    mutationFn: (file: File) => importPortfolio({ ...form, file }),
    onSuccess: async () => {
      setForm(EMPTY);
      if (input.current) input.current.value = '';
      await invalidate.apprenticeships(queryClient);
    },
  });

  function handle(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    const problems: SummaryItem[] = [];
    if (file === undefined) problems.push({ href: `#${IDS.file}`, message: REQUIRED.file ?? '' });
    for (const f of Object.keys(EMPTY) as (keyof Form)[]) {
      const message = REQUIRED[f];
      if (message !== undefined && form[f] === '') problems.push({ href: `#${IDS[f]}`, message });
    }
    if (form.start_date && form.expected_end_date && form.expected_end_date <= form.start_date) {
      problems.push({ href: `#${IDS.expected_end_date}`, message: 'The expected end date must be after the start date' });
    }
    setLocal(problems);
    if (problems.length === 0 && file) run.mutate(file);
  }
  const err = (f: keyof Form | 'file') => local.find((i) => i.href === `#${IDS[f]}`)?.message ?? fieldError(run.error, f);
  const choose = (label: string, items: { id: string; name: string }[] | undefined) => [{ value: '', label }, ...(items ?? []).map((i) => ({ value: i.id, label: i.name }))];
  const employers = orgs.data?.items.filter((o) => o.kind === 'employer');
  const mentorsHere = mentors.data?.items.filter((u) => u.organisation_id === form.employer_id);
  const tutorsHere = tutors.data?.items.filter((u) => u.organisation_id === me.organisation_id);
  const fileError = err('file');
  const created = run.data;

  return (
    <>
      {local.length > 0 ? <ErrorSummary items={local} /> : <ErrorSummary error={run.error} fieldIds={IDS} fieldLabels={LABELS} />}
      <PageHeading title="Import a portfolio" />
      <p>
        When an apprentice moves to your training provider, ask them (or their previous provider) for the portfolio archive, <code>portfolio.zip</code>, downloaded from their portfolio. Importing it
        enrols the apprentice with you on the same standard version, with their evidence, sign-offs, off-the-job time and progress reviews kept as history. If they are enrolled on the
        standard elsewhere in ksbfolio, that enrolment ends as transferred and stays read-only with its provider.
      </p>
      <p>Every file is checked against the fingerprint (SHA-256) recorded when it was exported. If anything is wrong, nothing is imported and each problem is listed.</p>
      {created && (
        <div className="nhsuk-inset-text" role="status" data-testid="portfolio-imported">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            {nameOf(created.apprentice, 'The apprentice')}&apos;s portfolio is imported. <Link to={`/apprenticeships/${created.id}`}>Open their progress</Link>.
          </p>
        </div>
      )}
      <form onSubmit={handle} noValidate>
        <div className={`nhsuk-form-group${fileError ? ' nhsuk-form-group--error' : ''}`}>
          <label className="nhsuk-label" htmlFor={IDS.file}>
            Portfolio file
          </label>
          <div className="nhsuk-hint" id={`${IDS.file}-hint`}>
            The portfolio.zip exactly as it was downloaded
          </div>
          {fileError && (
            <span className="nhsuk-error-message" id={`${IDS.file}-error`}>
              <span className="nhsuk-u-visually-hidden">Error:</span> {fileError}
            </span>
          )}
          <input className="nhsuk-input" id={IDS.file} name="file" type="file" accept=".zip,application/zip" ref={input} aria-describedby={`${IDS.file}-hint${fileError ? ` ${IDS.file}-error` : ''}`} />
        </div>
        <Select id={IDS.employer_id} name="employer_id" label="Employer" hint="Where the apprentice works now." value={form.employer_id} onChange={(e) => setForm({ ...form, employer_id: e.target.value, mentor_id: '' })} options={choose('Choose an employer', employers)} error={err('employer_id')} />
        <Select id={IDS.mentor_id} name="mentor_id" label="Workplace mentor" hint="People with the employer role at the chosen employer. An administrator can add a mentor who is not listed." value={form.mentor_id} onChange={(e) => setForm({ ...form, mentor_id: e.target.value })} options={choose('Choose a mentor', mentorsHere)} error={err('mentor_id')} />
        <Select id={IDS.tutor_id} name="tutor_id" label="Tutor" hint="Staff of your training provider." value={form.tutor_id} onChange={(e) => setForm({ ...form, tutor_id: e.target.value })} options={choose('Choose a tutor', tutorsHere)} error={err('tutor_id')} />
        <TextInput id={IDS.start_date} name="start_date" label="Start date with your provider" type="date" className="nhsuk-input--width-10" value={form.start_date} onChange={(e) => setForm({ ...form, start_date: e.target.value })} error={err('start_date')} />
        <TextInput id={IDS.expected_end_date} name="expected_end_date" label="Expected end date (optional)" hint="Leave empty to keep the original length of the apprenticeship." type="date" className="nhsuk-input--width-10" value={form.expected_end_date} onChange={(e) => setForm({ ...form, expected_end_date: e.target.value })} error={err('expected_end_date')} />
        <button className="nhsuk-button" type="submit" disabled={run.isPending}>
          {run.isPending ? 'Importing…' : 'Import portfolio'}
        </button>
      </form>
    </>
  );
}
