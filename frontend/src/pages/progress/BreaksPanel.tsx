/**
 * Breaks in learning on the apprenticeship's page: what a break does, in plain words, every
 * break so far, and for staff of its training provider the form that starts one (first day,
 * reason) or ends the open one (last day). The confirmation says what moved and takes focus;
 * the server's 422 is shown by field.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { endBreak, startBreak } from '../../api/breaks';
import type { Apprenticeship, LearningBreak } from '../../api/types';
import { Confirmation } from '../../components/Confirmation';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Textarea, TextInput } from '../../components/Fields';
import { ErrorState } from '../../components/QueryState';
import { Body, Cell, Head, Row, RowHeader, Table } from '../../components/Table';
import { invalidate, keys, useBreaks } from '../../hooks/queries';
import { formatDate } from '../../lib/format';
import { todayIso } from '../evidence/validate';

const IDS = { starts_on: 'break-starts-on', reason: 'break-reason', ends_on: 'break-ends-on' } as const;
const LABELS = { starts_on: 'First day of the break', reason: 'Reason', ends_on: 'Last day of the break' };

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/** What a break does, said once beside the breaks. */
function WhatABreakDoes() {
  return (
    <div className="nhsuk-inset-text" data-testid="what-a-break-does">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>A break in learning pauses the apprenticeship while the apprentice cannot take part, for example during a long illness or parental leave. While a break is open:</p>
      <ul>
        <li>no progress review falls due;</li>
        <li>the off-the-job time expected by now stops growing.</li>
      </ul>
      <p className="nhsuk-u-margin-bottom-0">When it ends, the date the next review is due by and the expected end date both move later by the length of the break (its first and last days included).</p>
    </div>
  );
}

function BreaksTable({ breaks }: { breaks: LearningBreak[] }) {
  return (
    <Table responsive testId="breaks" captionId="breaks-caption" caption={`${breaks.length} break${breaks.length === 1 ? '' : 's'} in learning`}>
      <Head columns={['First day', 'Last day', 'Length', 'Reason']} />
      <Body>
        {breaks.map((b) => (
          <Row key={b.id}>
            <RowHeader heading="First day">{formatDate(b.starts_on)}</RowHeader>
            <Cell heading="Last day">{b.ends_on ? formatDate(b.ends_on) : <strong className="nhsuk-tag nhsuk-tag--grey">Open</strong>}</Cell>
            <Cell heading="Length">{b.length_days === null || b.length_days === undefined ? 'Still open' : days(b.length_days)}</Cell>
            <Cell heading="Reason">
              <span className="app-pre-wrap">{b.reason}</span>
            </Cell>
          </Row>
        ))}
      </Body>
    </Table>
  );
}

export function BreaksPanel({ apprenticeship, canManage }: { apprenticeship: Apprenticeship; canManage: boolean }) {
  const id = apprenticeship.id;
  const breaks = useBreaks(id);
  const client = useQueryClient();
  const [startsOn, setStartsOn] = useState('');
  const [reason, setReason] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);

  const start = useMutation({
    mutationFn: () => startBreak(id, { starts_on: startsOn, reason: reason.trim() }),
    onSuccess: async (started) => {
      await invalidate.breaks(client, id);
      setStartsOn('');
      setReason('');
      setDone(`Break in learning started on ${formatDate(started.starts_on)}. No progress review falls due and the off-the-job time expected by now stops growing until it ends.`);
    },
  });
  const end = useMutation({
    mutationFn: (breakId: string) => endBreak(id, breakId, endsOn),
    onSuccess: async (ended) => {
      await invalidate.breaks(client, id);
      setEndsOn('');
      // The apprenticeship has been read again by now: its moved dates are the ones to tell.
      const after = client.getQueryData<Apprenticeship>(keys.apprenticeship(id));
      const due = after?.next_review_due_by ? `; the next progress review is due by ${formatDate(after.next_review_due_by)}` : '';
      const moved = after ? ` The expected end date is now ${formatDate(after.expected_end_date)}${due}.` : '';
      setDone(`Break in learning ended on ${formatDate(ended.ends_on)}, after ${days(ended.length_days ?? 0)}. The dates moved later by ${days(ended.length_days ?? 0)}.${moved}`);
    },
  });

  if (breaks.error) return <ErrorState error={breaks.error} retry={() => void breaks.refetch()} />;
  // Nothing is shown until the list is in: whether the section appears, and which form, depends on it.
  if (!breaks.data) return null;
  const list = breaks.data;
  // Apprentices and mentors see breaks only when there are some; the provider's staff always.
  if (!canManage && list.length === 0) return null;
  const open = list.find((b) => b.ends_on === null || b.ends_on === undefined);
  const error = start.error ?? end.error;

  function submitStart(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(null);
    const errors: Record<string, string> = {};
    if (startsOn === '') errors.starts_on = 'Enter the first day of the break';
    else if (startsOn > todayIso()) errors.starts_on = 'The first day of the break must be today or in the past';
    if (reason.trim() === '') errors.reason = 'Say why learning is paused';
    setLocal(errors);
    if (Object.keys(errors).length > 0) return;
    end.reset();
    start.mutate();
  }

  function submitEnd(event: SubmitEvent<HTMLFormElement>, breakId: string) {
    event.preventDefault();
    setDone(null);
    const errors: Record<string, string> = {};
    if (endsOn === '') errors.ends_on = 'Enter the last day of the break';
    else if (endsOn > todayIso()) errors.ends_on = 'The last day of the break must be today or in the past';
    setLocal(errors);
    if (Object.keys(errors).length > 0) return;
    start.reset();
    end.mutate(breakId);
  }

  const localItems: SummaryItem[] = (Object.keys(IDS) as (keyof typeof IDS)[]).flatMap((f) => (local[f] ? [{ href: `#${IDS[f]}`, message: local[f] }] : []));
  const err = (field: keyof typeof IDS) => fieldError(error, field, local);

  return (
    <section aria-labelledby="breaks-title" data-testid="breaks-panel">
      <h2 id="breaks-title">Breaks in learning</h2>
      {localItems.length > 0 ? <ErrorSummary items={localItems} /> : <ErrorSummary error={error} fieldIds={IDS} fieldLabels={LABELS} />}
      {done && (
        <Confirmation key={done} testId="break-done">
          <p>{done}</p>
        </Confirmation>
      )}
      {open && (
        <p>
          <strong className="nhsuk-tag nhsuk-tag--grey">On a break</strong> since {formatDate(open.starts_on)}.
        </p>
      )}
      <WhatABreakDoes />
      {list.length === 0 ? <p>There have been no breaks in learning.</p> : <BreaksTable breaks={list} />}
      {canManage && open && (
        <form onSubmit={(e) => submitEnd(e, open.id)} noValidate aria-labelledby="break-end-title">
          <h3 id="break-end-title">End the break</h3>
          <TextInput
            id={IDS.ends_on}
            name="ends_on"
            label="Last day of the break"
            hint={`Not before its first day (${formatDate(open.starts_on)}) and not in the future.`}
            type="date"
            className="nhsuk-input--width-10"
            value={endsOn}
            onChange={(e) => setEndsOn(e.target.value)}
            error={err('ends_on')}
          />
          <button className="nhsuk-button" type="submit" disabled={end.isPending}>
            End the break
          </button>
        </form>
      )}
      {canManage && !open && (
        <form onSubmit={submitStart} noValidate aria-labelledby="break-start-title">
          <h3 id="break-start-title">Start a break in learning</h3>
          <TextInput
            id={IDS.starts_on}
            name="starts_on"
            label="First day of the break"
            hint={`Not before the apprenticeship started (${formatDate(apprenticeship.start_date)}) and not in the future.`}
            type="date"
            className="nhsuk-input--width-10"
            value={startsOn}
            onChange={(e) => setStartsOn(e.target.value)}
            error={err('starts_on')}
          />
          <Textarea
            id={IDS.reason}
            name="reason"
            label="Reason"
            hint="The apprentice, their employer and your colleagues will see this. Never include anything that identifies a patient."
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={err('reason')}
          />
          <button className="nhsuk-button" type="submit" disabled={start.isPending}>
            Start the break
          </button>
        </form>
      )}
    </section>
  );
}
