/** Admin: apprenticeships, and enrolling an apprentice on ST0220 with mentor and tutor. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { createApprenticeship } from '../../api/apprenticeships';
import { STANDARD_REFERENCE } from '../../api/standards';
import type { NewApprenticeship } from '../../api/types';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Body, Cell, Head, Row, RowHeader, Table } from '../../components/Table';
import { Select, TextInput } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { EmptyState, QueryView } from '../../components/QueryState';
import { invalidate, useAllUsers, useApprenticeships, useOrganisations } from '../../hooks/queries';
import { formatDate, nameOf } from '../../lib/format';

// The OTJ plan is set later on the apprenticeship (PATCH), not in this form.
type Form = Omit<NewApprenticeship, 'standard' | 'planned_otj_hours' | 'rpl_reduction_hours'>;
const IDS: Record<keyof Form, string> = {
  apprentice_id: 'app-apprentice',
  employer_id: 'app-employer',
  provider_id: 'app-provider',
  mentor_id: 'app-mentor',
  tutor_id: 'app-tutor',
  start_date: 'app-start',
  expected_end_date: 'app-end',
};
const LABELS: Record<keyof Form, string> = {
  apprentice_id: 'Choose the apprentice',
  employer_id: 'Choose the employer',
  provider_id: 'Choose the training provider',
  mentor_id: 'Choose the workplace mentor',
  tutor_id: 'Choose the tutor',
  start_date: 'Enter the start date',
  expected_end_date: 'Enter the expected end date',
};
const LIMIT = 50;
const SERVER_LABELS: Record<string, string> = {
  apprentice_id: 'Apprentice',
  employer_id: 'Employer',
  provider_id: 'Training provider',
  mentor_id: 'Workplace mentor',
  tutor_id: 'Tutor',
  start_date: 'Start date',
  expected_end_date: 'Expected end date',
  standard: 'Standard',
};
const EMPTY: Form = { apprentice_id: '', employer_id: '', provider_id: '', mentor_id: '', tutor_id: '', start_date: '', expected_end_date: '' };

export default function ApprenticeshipsPage() {
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState('');
  const list = useApprenticeships({ q: search.trim(), limit: LIMIT, offset });
  const orgs = useOrganisations();
  const apprentices = useAllUsers('apprentice');
  const mentors = useAllUsers('employer');
  const tutors = useAllUsers('provider');
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(EMPTY);
  const [local, setLocal] = useState<SummaryItem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: () => createApprenticeship({ ...form, standard: STANDARD_REFERENCE }),
    onSuccess: async (a) => {
      setNotice(`${nameOf(a.apprentice, 'The apprentice')} is enrolled.`);
      setForm(EMPTY);
      await invalidate.apprenticeships(queryClient);
    },
  });

  function handle(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(null);
    const problems: SummaryItem[] = (Object.keys(IDS) as (keyof Form)[]).flatMap((f) => (form[f] === '' ? [{ href: `#${IDS[f]}`, message: LABELS[f] }] : []));
    if (form.start_date && form.expected_end_date && form.expected_end_date <= form.start_date) {
      problems.push({ href: `#${IDS.expected_end_date}`, message: 'The expected end date must be after the start date' });
    }
    setLocal(problems);
    if (problems.length === 0) create.mutate();
  }
  const err = (f: keyof Form) => local.find((i) => i.href === `#${IDS[f]}`)?.message ?? fieldError(create.error, f);
  const choose = (label: string, items: { id: string; name: string }[] | undefined) => [{ value: '', label }, ...(items ?? []).map((i) => ({ value: i.id, label: i.name }))];
  const employers = orgs.data?.items.filter((o) => o.kind === 'employer');
  const providers = orgs.data?.items.filter((o) => o.kind === 'provider');
  const inOrg = <T extends { organisation_id?: string | null }>(items: T[] | undefined, org: string) => items?.filter((u) => org === '' || u.organisation_id === org);

  // The enrolment form sits above the long list, folded until wanted; it stays open while in use.
  const [addOpen, setAddOpen] = useState(false);

  return (
    <>
      {local.length > 0 ? <ErrorSummary items={local} /> : <ErrorSummary error={create.error} fieldIds={IDS} fieldLabels={SERVER_LABELS} />}
      <PageHeading title="Apprenticeships" />
      {notice && (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{notice}</p>
        </div>
      )}
      <details className="nhsuk-details" open={addOpen} onToggle={(e) => setAddOpen(e.currentTarget.open)}>
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">Enrol an apprentice on {STANDARD_REFERENCE}</span>
        </summary>
        <div className="nhsuk-details__text">
          <form onSubmit={handle} noValidate>
            <Select id={IDS.apprentice_id} name="apprentice_id" label="Apprentice" value={form.apprentice_id} onChange={(e) => setForm({ ...form, apprentice_id: e.target.value })} options={choose('Choose an apprentice', apprentices.data?.items)} error={err('apprentice_id')} />
            <Select id={IDS.employer_id} name="employer_id" label="Employer" value={form.employer_id} onChange={(e) => setForm({ ...form, employer_id: e.target.value, mentor_id: '' })} options={choose('Choose an employer', employers)} error={err('employer_id')} />
            <Select id={IDS.mentor_id} name="mentor_id" label="Workplace mentor" hint="People with the employer role at the chosen employer." value={form.mentor_id} onChange={(e) => setForm({ ...form, mentor_id: e.target.value })} options={choose('Choose a mentor', inOrg(mentors.data?.items, form.employer_id))} error={err('mentor_id')} />
            <Select id={IDS.provider_id} name="provider_id" label="Training provider" value={form.provider_id} onChange={(e) => setForm({ ...form, provider_id: e.target.value, tutor_id: '' })} options={choose('Choose a training provider', providers)} error={err('provider_id')} />
            <Select id={IDS.tutor_id} name="tutor_id" label="Tutor" hint="People with the provider role at the chosen training provider." value={form.tutor_id} onChange={(e) => setForm({ ...form, tutor_id: e.target.value })} options={choose('Choose a tutor', inOrg(tutors.data?.items, form.provider_id))} error={err('tutor_id')} />
            <TextInput id={IDS.start_date} name="start_date" label="Start date" type="date" className="nhsuk-input--width-10" value={form.start_date} onChange={(e) => setForm({ ...form, start_date: e.target.value })} error={err('start_date')} />
            <TextInput id={IDS.expected_end_date} name="expected_end_date" label="Expected end date" type="date" className="nhsuk-input--width-10" value={form.expected_end_date} onChange={(e) => setForm({ ...form, expected_end_date: e.target.value })} error={err('expected_end_date')} />
            <button className="nhsuk-button" type="submit" disabled={create.isPending}>
              Enrol apprentice
            </button>
          </form>
        </div>
      </details>
      <div className="app-filters">
        <TextInput id="filter-search" label="Apprentice, email or organisation" hint="Part of the apprentice's name or email, or of the employer's or training provider's name." value={search} onChange={(e) => { setSearch(e.target.value); setOffset(0); }} spellCheck={false} />
      </div>
      <QueryView query={list} label="Loading apprenticeships">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>{search.trim() === '' ? 'No apprenticeships yet.' : 'No apprenticeships match.'}</EmptyState>
          ) : (
            <>
              <Table responsive testId="apprenticeships" captionId="apprenticeships-caption" caption={`${page.total} apprenticeship${page.total === 1 ? '' : 's'}`}>
                <Head columns={['Apprentice', 'Employer (mentor)', 'Provider (tutor)', 'Dates']} />
                <Body>
                  {page.items.map((a) => (
                    <Row key={a.id}>
                    <RowHeader heading="Apprentice">
                          <Link to={`/apprenticeships/${a.id}`}>{nameOf(a.apprentice)}</Link>
                        </RowHeader>
                    <Cell heading="Employer (mentor)">{nameOf(a.employer)} ({nameOf(a.mentor)})</Cell>
                    <Cell heading="Provider (tutor)">{nameOf(a.provider)} ({nameOf(a.tutor)})</Cell>
                    <Cell heading="Dates">{formatDate(a.start_date)} to {formatDate(a.expected_end_date)}</Cell>
                    </Row>
                  ))}
                </Body>
              </Table>
              <Pagination total={page.total} limit={page.limit} offset={page.offset} onChange={setOffset} />
            </>
          )
        }
      </QueryView>
    </>
  );
}
