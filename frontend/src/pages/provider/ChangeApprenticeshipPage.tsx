/**
 * Change the apprenticeship (/apprenticeships/:id/change), for staff of its training provider
 * and administrators: the off-the-job plan (planned hours, recognised prior learning), the
 * workplace mentor, the tutor and the expected end date. Only what changed is sent, with
 * If-Match and the ETag read on load, so a change made elsewhere meanwhile is refused (412) and
 * the page offers to reload rather than overwrite it. The server's 422 names each field; a plan
 * below the floor says the floor and why.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { updateApprenticeship } from '../../api/apprenticeships';
import type { Apprenticeship, ApprenticeshipUpdate, User } from '../../api/types';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Select, TextInput } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { ErrorState, Loading } from '../../components/QueryState';
import { invalidate, useApprenticeshipForChange, useCatalogue, useOrganisationUsers } from '../../hooks/queries';
import { changesOf, draftOf, floorText, validateChange, type ChangeDraft } from '../../lib/apprenticeshipChange';
import { formatDate, nameOf } from '../../lib/format';

const TITLE = 'Change the apprenticeship';

const IDS: Record<keyof ChangeDraft, string> = {
  planned_otj_hours: 'change-planned-hours',
  rpl_reduction_hours: 'change-rpl-hours',
  mentor_id: 'change-mentor',
  tutor_id: 'change-tutor',
  expected_end_date: 'change-end',
};

/** The words the form shows for each field, in front of the server's messages in the summary. */
const LABELS: Record<keyof ChangeDraft, string> = {
  planned_otj_hours: 'Planned off-the-job hours',
  rpl_reduction_hours: 'Recognised prior learning',
  mentor_id: 'Workplace mentor',
  tutor_id: 'Tutor',
  expected_end_date: 'Expected end date',
};

export default function ChangeApprenticeshipPage() {
  const { apprenticeshipId = '' } = useParams();
  const query = useApprenticeshipForChange(apprenticeshipId);
  const standard = useCatalogue(query.data?.apprenticeship);
  const mentors = useOrganisationUsers('employer', query.data?.apprenticeship.employer_id);
  const tutors = useOrganisationUsers('provider', query.data?.apprenticeship.provider_id);
  // The form keeps the ETag it was opened with; it is remounted only when the person asks for
  // the latest version, never under their typing.
  const [reloads, setReloads] = useState(0);

  const failed = query.error ?? standard.error ?? mentors.error ?? tutors.error;
  if (failed && !query.data) {
    return (
      <>
        <PageHeading title={TITLE} />
        <ErrorState error={failed} retry={() => void query.refetch()} />
      </>
    );
  }
  if (failed) {
    return (
      <>
        <PageHeading title={TITLE} />
        <ErrorState error={failed} retry={() => void Promise.all([standard.refetch(), mentors.refetch(), tutors.refetch()])} />
      </>
    );
  }
  if (!query.data || !standard.data || !mentors.data || !tutors.data) {
    return (
      <>
        <PageHeading title={TITLE} />
        <Loading label="Loading the apprenticeship" />
      </>
    );
  }
  const { apprenticeship, etag } = query.data;
  return (
    <ChangeForm
      key={reloads}
      apprenticeship={apprenticeship}
      etag={etag}
      minimum={standard.data.minimum_otj_hours}
      mentors={mentors.data.items}
      tutors={tutors.data.items}
      reload={() => {
        void query.refetch().then(() => setReloads((n) => n + 1));
      }}
    />
  );
}

/** Active people to choose from, by name, and the current one even if the list lacks them. */
function people(users: User[], current: { id: string; name: string } | null | undefined, currentId: string) {
  const options = users
    .filter((u) => u.active || u.id === currentId)
    .map((u) => ({ value: u.id, label: u.name }))
    .sort((a, b) => a.label.localeCompare(b.label));
  if (!options.some((o) => o.value === currentId)) options.unshift({ value: currentId, label: nameOf(current, 'The current one') });
  return options;
}

/** What was changed, in words, for the confirmation on the apprenticeship's page. */
function describe(changes: ApprenticeshipUpdate, mentors: { value: string; label: string }[], tutors: { value: string; label: string }[]): string {
  const parts: string[] = [];
  if (changes.planned_otj_hours !== undefined && changes.planned_otj_hours !== null) parts.push(`${changes.planned_otj_hours} planned off-the-job hours`);
  if (changes.rpl_reduction_hours !== undefined && changes.rpl_reduction_hours !== null) parts.push(`${changes.rpl_reduction_hours} hours of recognised prior learning`);
  if (changes.mentor_id) parts.push(`${mentors.find((m) => m.value === changes.mentor_id)?.label ?? 'a new mentor'} as workplace mentor`);
  if (changes.tutor_id) parts.push(`${tutors.find((t) => t.value === changes.tutor_id)?.label ?? 'a new tutor'} as tutor`);
  if (changes.expected_end_date) parts.push(`an expected end date of ${formatDate(changes.expected_end_date)}`);
  return `Apprenticeship changed: ${parts.join('; ')}.`;
}

function ChangeForm({
  apprenticeship,
  etag,
  minimum,
  mentors,
  tutors,
  reload,
}: {
  apprenticeship: Apprenticeship;
  etag: string;
  minimum: number | null | undefined;
  mentors: User[];
  tutors: User[];
  reload: () => void;
}) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<ChangeDraft>(() => draftOf(apprenticeship));
  const [version] = useState(etag);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [unchanged, setUnchanged] = useState(false);
  const mentorOptions = people(mentors, apprenticeship.mentor, apprenticeship.mentor_id);
  const tutorOptions = people(tutors, apprenticeship.tutor, apprenticeship.tutor_id);
  const backTo = `/apprenticeships/${apprenticeship.id}`;
  const who = nameOf(apprenticeship.apprentice, 'the apprentice');

  const save = useMutation({
    mutationFn: (changes: ApprenticeshipUpdate) => updateApprenticeship(apprenticeship.id, version, changes),
    onSuccess: async (_, changes) => {
      await invalidate.apprenticeship(client, apprenticeship.id);
      void navigate(backTo, { state: { message: describe(changes, mentorOptions, tutorOptions) } });
    },
  });

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setUnchanged(false);
    const errors = validateChange(draft, apprenticeship);
    setLocal(errors);
    if (Object.keys(errors).length > 0) return;
    const changes = changesOf(draft, apprenticeship);
    if (Object.keys(changes).length === 0) {
      setUnchanged(true);
      return;
    }
    save.reset();
    save.mutate(changes);
  }

  const stale = save.error instanceof ApiError && (save.error.status === 412 || save.error.status === 428);
  const localItems: SummaryItem[] = (Object.keys(IDS) as (keyof ChangeDraft)[]).flatMap((f) => (local[f] ? [{ href: `#${IDS[f]}`, message: local[f] }] : []));
  const err = (field: keyof ChangeDraft) => fieldError(save.error, field, local);
  const set = (change: Partial<ChangeDraft>) => setDraft((d) => ({ ...d, ...change }));
  // The floor follows the prior learning as typed (or as saved, while what is typed is no number).
  const typed = draft.rpl_reduction_hours.trim();
  const floor = floorText(minimum, /^\d+$/.test(typed) ? Number(typed) : apprenticeship.rpl_reduction_hours);

  return (
    <>
      <p className="nhsuk-u-margin-bottom-3">
        <Link to={backTo}>Back to the portfolio</Link>
      </p>
      {localItems.length > 0 ? (
        <ErrorSummary items={localItems} />
      ) : unchanged ? (
        <ErrorSummary title="Nothing to save" items={[{ message: 'You have not changed anything. Change a detail, or go back to the portfolio.' }]} />
      ) : stale ? (
        <ErrorSummary
          items={[
            {
              message: `Someone else changed ${who}'s apprenticeship after you opened this page, so your changes were not saved. Reload it to see the latest details, then make your changes again.`,
            },
          ]}
        />
      ) : (
        <ErrorSummary error={save.error} fieldIds={IDS} fieldLabels={LABELS} />
      )}
      {stale && (
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={reload}>
          Reload the latest details
        </button>
      )}
      <PageHeading title={TITLE} caption={who} />
      <p>
        {apprenticeship.standard} version {apprenticeship.standard_version}, started on {formatDate(apprenticeship.start_date)}. Each change is recorded in the audit trail with its old and new value.
      </p>
      <form onSubmit={submit} noValidate>
        <h2>Off-the-job training plan</h2>
        <TextInput
          id={IDS.planned_otj_hours}
          name="planned_otj_hours"
          label="Planned off-the-job hours"
          hint={
            <>
              {floor}
              {(apprenticeship.planned_otj_hours === null || apprenticeship.planned_otj_hours === undefined) && ' No plan is set yet.'}
            </>
          }
          inputMode="numeric"
          className="nhsuk-input--width-5"
          value={draft.planned_otj_hours}
          onChange={(e) => set({ planned_otj_hours: e.target.value })}
          error={err('planned_otj_hours')}
        />
        <TextInput
          id={IDS.rpl_reduction_hours}
          name="rpl_reduction_hours"
          label="Recognised prior learning, in hours"
          hint="Hours taken off the standard's published minimum for what the apprentice already knows and can do; 0 if none."
          inputMode="numeric"
          className="nhsuk-input--width-5"
          value={draft.rpl_reduction_hours}
          onChange={(e) => set({ rpl_reduction_hours: e.target.value })}
          error={err('rpl_reduction_hours')}
        />
        <h2>People</h2>
        <Select
          id={IDS.mentor_id}
          name="mentor_id"
          label="Workplace mentor"
          hint={`Active people with the employer role at ${nameOf(apprenticeship.employer, 'the employer')}.`}
          value={draft.mentor_id}
          onChange={(e) => set({ mentor_id: e.target.value })}
          options={mentorOptions}
          error={err('mentor_id')}
        />
        <Select
          id={IDS.tutor_id}
          name="tutor_id"
          label="Tutor"
          hint={`Active staff of ${nameOf(apprenticeship.provider, 'the training provider')}.`}
          value={draft.tutor_id}
          onChange={(e) => set({ tutor_id: e.target.value })}
          options={tutorOptions}
          error={err('tutor_id')}
        />
        <h2>Dates</h2>
        <TextInput
          id={IDS.expected_end_date}
          name="expected_end_date"
          label="Expected end date"
          hint={`After the start date (${formatDate(apprenticeship.start_date)}). Ending a break in learning moves it later by the break's length on its own.`}
          type="date"
          className="nhsuk-input--width-10"
          value={draft.expected_end_date}
          onChange={(e) => set({ expected_end_date: e.target.value })}
          error={err('expected_end_date')}
        />
        <div className="app-inline-actions">
          <button className="nhsuk-button" type="submit" disabled={save.isPending}>
            Save changes
          </button>
          <Link to={backTo}>Cancel</Link>
        </div>
      </form>
    </>
  );
}
