/**
 * Off-the-job training of one apprenticeship: the time against the plan (a bar and its table
 * twin), the apprentice's form to log time in minutes or hours, and the entries, which the
 * provider's staff approve or reject here.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { useParams } from 'react-router';
import { createOtj } from '../../api/otj';
import { OTJ_ACTIVITIES, type OtjActivity, type OtjSummary } from '../../api/types';
import { useUser } from '../../auth/AuthContext';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Select, TextInput, Textarea } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { EmptyState, QueryView } from '../../components/QueryState';
import { invalidate, useOtjEntries, useOtjSummary } from '../../hooks/queries';
import { formatDate } from '../../lib/format';
import {
  ACTIVITY_LABELS,
  OTJ_STATUS_LABELS,
  PLAN_STATUS_LABELS,
  formatMinutes,
  planShares,
  toMinutes,
  type DurationUnit,
} from '../../lib/otj';
import { OtjDecision } from './OtjDecision';
import { Body, Cell, Head, Row, RowHeader, Table } from '../../components/Table';

const IDS = {
  occurred_on: 'otj-occurred-on',
  minutes: 'otj-amount',
  activity: 'otj-activity',
  description: 'otj-description',
};
const LABELS = { occurred_on: 'Date', minutes: 'Time spent', activity: 'Type of training', description: 'What you did' };

export function PlanSummary({ summary }: { summary: OtjSummary }) {
  const shares = planShares(summary);
  const planned = summary.planned_minutes ?? null;
  return (
    <section aria-labelledby="otj-plan-title">
      <h2 id="otj-plan-title">Time against the plan</h2>
      <p>
        <strong className="nhsuk-tag" data-testid="otj-status">{PLAN_STATUS_LABELS[summary.status]}</strong>
      </p>
      {shares === null ? (
        <EmptyState>
          No off-the-job plan has been set yet. The training provider sets it: at least {formatMinutes(summary.floor_minutes)}.
        </EmptyState>
      ) : (
        <>
          {/* The bar repeats the table below, so it is hidden from assistive technology. */}
          <div className="app-duty-bars__bar" aria-hidden="true" data-testid="otj-bar">
            <div className="app-duty-bars__segment app-status--signed_off" style={{ width: `${shares.approved}%` }} />
            <div className="app-duty-bars__segment app-status--in_progress" style={{ width: `${shares.pending}%` }} />
          </div>
          <p className="nhsuk-body-s">
            Approved {formatMinutes(summary.approved_minutes)} of {formatMinutes(planned ?? 0)} planned; expected by now{' '}
            {formatMinutes(summary.expected_by_now_minutes)}.
          </p>
        </>
      )}
      <Table testId="otj-table" caption="Off-the-job time (hours and minutes)">
        <Body>
          {[
            ['Planned', planned === null ? 'Not set' : formatMinutes(planned)],
            ['Approved', formatMinutes(summary.approved_minutes)],
            ['Waiting for approval', formatMinutes(summary.pending_minutes)],
            ['Expected by now', formatMinutes(summary.expected_by_now_minutes)],
            ['Least the plan may be', formatMinutes(summary.floor_minutes)],
            ['Recognised prior learning', formatMinutes(summary.rpl_reduction_minutes)],
          ].map(([label, value]) => (
            <Row key={label}>
              <RowHeader>{label}</RowHeader>
              <Cell>{value}</Cell>
            </Row>
          ))}
        </Body>
      </Table>
    </section>
  );
}

function LogForm({ apprenticeshipId }: { apprenticeshipId: string }) {
  const client = useQueryClient();
  const [day, setDay] = useState('');
  const [amount, setAmount] = useState('');
  const [unit, setUnit] = useState<DurationUnit>('minutes');
  const [activity, setActivity] = useState<OtjActivity | ''>('');
  const [description, setDescription] = useState('');
  const [local, setLocal] = useState<SummaryItem[]>([]);
  const [localField, setLocalField] = useState<Record<string, string | undefined>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (minutes: number) =>
      createOtj(apprenticeshipId, { occurred_on: day, minutes, activity: activity as OtjActivity, description, ksbs: [] }),
    onSuccess: async (entry) => {
      setSaved(`${formatMinutes(entry.minutes)} on ${formatDate(entry.occurred_on)} saved; it waits for your provider's approval.`);
      setAmount('');
      setDescription('');
      await invalidate.otj(client, apprenticeshipId);
    },
  });
  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const fields: Record<string, string | undefined> = {};
    if (day === '') fields.occurred_on = 'Enter the date of the training';
    const duration = toMinutes(amount, unit);
    if ('error' in duration) fields.minutes = duration.error;
    if (activity === '') fields.activity = 'Choose the type of training';
    if (description.trim() === '') fields.description = 'Say what the training was';
    const items = Object.entries(fields).map(([field, message]) => ({
      href: `#${IDS[field as keyof typeof IDS]}`,
      message: message ?? '',
    }));
    setLocal(items);
    setLocalField(fields);
    if (items.length > 0 || 'error' in duration) return;
    save.mutate(duration.minutes);
  }
  const err = (field: string) => fieldError(save.error, field, localField);
  return (
    <section aria-labelledby="otj-log-title">
      <h2 id="otj-log-title">Log off-the-job training</h2>
      {saved && (
        <div className="nhsuk-inset-text" role="status">
          <p>{saved}</p>
        </div>
      )}
      <ErrorSummary items={local.length > 0 ? local : undefined} error={save.error} fieldIds={IDS} fieldLabels={LABELS} />
      <form onSubmit={submit} noValidate>
        <TextInput id={IDS.occurred_on} name="occurred_on" label="Date" type="date" className="nhsuk-input--width-10" value={day} onChange={(e) => setDay(e.target.value)} error={err('occurred_on')} />
        <TextInput
          id={IDS.minutes}
          name="amount"
          label="Time spent"
          hint="A day holds at most 12 hours. For example, 90 minutes or 1.5 hours."
          inputMode="decimal"
          className="nhsuk-input--width-5"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={err('minutes')}
        />
        <fieldset className="nhsuk-fieldset nhsuk-u-margin-bottom-4">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Time is in</legend>
          <div className="nhsuk-radios nhsuk-radios--inline">
            {(['minutes', 'hours'] as const).map((u) => (
              <div className="nhsuk-radios__item" key={u}>
                <input className="nhsuk-radios__input" id={`otj-unit-${u}`} name="unit" type="radio" value={u} checked={unit === u} onChange={() => setUnit(u)} />
                <label className="nhsuk-label nhsuk-radios__label" htmlFor={`otj-unit-${u}`}>
                  {u === 'minutes' ? 'Minutes' : 'Hours'}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <Select
          id={IDS.activity}
          name="activity"
          label="Type of training"
          value={activity}
          onChange={(e) => setActivity(e.target.value as OtjActivity | '')}
          options={[{ value: '', label: 'Choose the type of training' }, ...OTJ_ACTIVITIES.map((a) => ({ value: a, label: ACTIVITY_LABELS[a] }))]}
          error={err('activity')}
        />
        <Textarea
          id={IDS.description}
          name="description"
          label="What you did"
          hint="Never include anything that identifies a patient."
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={err('description')}
        />
        <button className="nhsuk-button" type="submit" disabled={save.isPending}>
          Save time
        </button>
      </form>
    </section>
  );
}

export default function OtjPage() {
  const { apprenticeshipId = '' } = useParams();
  const user = useUser();
  const summary = useOtjSummary(apprenticeshipId);
  const entries = useOtjEntries(apprenticeshipId);
  const isApprentice = user.role === 'apprentice';
  const isTutor = user.role === 'provider';
  return (
    <>
      <PageHeading title="Off-the-job training" />
      <QueryView query={summary} label="Loading the off-the-job summary">
        {(s) => <PlanSummary summary={s} />}
      </QueryView>
      {isApprentice && <LogForm apprenticeshipId={apprenticeshipId} />}
      <h2>Entries</h2>
      <QueryView query={entries} label="Loading the entries">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>No off-the-job training has been logged yet.</EmptyState>
          ) : (
            <Table testId="otj-entries" caption={<>{page.total} entries, newest first</>}>
              <Head columns={['Date', 'Time', 'Training', 'Status', isTutor && 'Decision']} />
              <Body>
                {page.items.map((entry) => (
                  <Row key={entry.id}>
                    <Cell>{formatDate(entry.occurred_on)}</Cell>
                    <Cell>{formatMinutes(entry.minutes)}</Cell>
                    <Cell>
                      {ACTIVITY_LABELS[entry.activity]}: {entry.description}
                    </Cell>
                    <Cell>
                      {OTJ_STATUS_LABELS[entry.status]}
                      {entry.rejection_reason && <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">{entry.rejection_reason}</p>}
                    </Cell>
                    {isTutor && (
                      <Cell>
                        {entry.status === 'pending' ? <OtjDecision entry={entry} apprenticeshipId={apprenticeshipId} /> : null}
                      </Cell>
                    )}
                  </Row>
                ))}
              </Body>
            </Table>
          )
        }
      </QueryView>
    </>
  );
}
