/**
 * Sign-off of one KSB: current state, history, and (for the apprenticeship's mentor) sign off,
 * with an optional comment, or revoke with a reason. The confirmation takes focus.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { createSignoff, revokeSignoff } from '../../api/apprenticeships';
import type { Signoff } from '../../api/types';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Confirmation } from '../../components/Confirmation';
import { Textarea } from '../../components/Fields';
import { invalidate } from '../../hooks/queries';
import { formatDateTime } from '../../lib/format';

export function SignoffPanel({
  apprenticeshipId,
  code,
  history,
  canSignOff,
  hasAccepted,
}: {
  apprenticeshipId: string;
  code: string;
  history: Signoff[];
  canSignOff: boolean;
  hasAccepted: boolean;
}) {
  const queryClient = useQueryClient();
  const active = history.find((s) => s.revoked_at === null);
  const past = history.filter((s) => s.revoked_at !== null);
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<SummaryItem[]>([]);
  const [done, setDone] = useState<string | null>(null);

  const refresh = () => invalidate.signoffs(queryClient, apprenticeshipId);

  const signOff = useMutation({
    mutationFn: () => createSignoff(apprenticeshipId, { ksb: code, comment: comment.trim() }),
    onSuccess: async () => {
      setComment('');
      setDone(`${code} signed off.`);
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => revokeSignoff(apprenticeshipId, id, reason.trim()),
    onSuccess: async () => {
      setReason('');
      setDone(`Sign-off of ${code} revoked.`);
      await refresh();
    },
  });

  function submitSignOff(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(null);
    setLocal([]);
    signOff.mutate();
  }

  function submitRevoke(event: SubmitEvent<HTMLFormElement>, id: string) {
    event.preventDefault();
    setDone(null);
    if (reason.trim() === '') {
      setLocal([{ href: '#revoke-reason', message: 'Enter the reason for revoking this sign-off' }]);
      return;
    }
    setLocal([]);
    revoke.mutate(id);
  }

  const error = signOff.error ?? revoke.error;
  const localComment = local.find((i) => i.href === '#signoff-comment')?.message;
  const localReason = local.find((i) => i.href === '#revoke-reason')?.message;

  return (
    <section aria-labelledby="signoff-title">
      <h2 id="signoff-title">Sign-off</h2>
      {local.length > 0 ? (
        <ErrorSummary items={local} />
      ) : (
        <ErrorSummary error={error} fieldIds={{ comment: 'signoff-comment', reason: 'revoke-reason', ksb: 'signoff-comment' }} />
      )}
      {done && (
        <Confirmation key={done}>
          <p>{done}</p>
        </Confirmation>
      )}
      {active ? (
        <>
          <dl className="nhsuk-summary-list" data-testid="active-signoff">
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Signed off by</dt>
              <dd className="nhsuk-summary-list__value">{active.signed_off_by.name}</dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">When</dt>
              <dd className="nhsuk-summary-list__value">{formatDateTime(active.created_at)}</dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Comment</dt>
              <dd className="nhsuk-summary-list__value app-pre-wrap">{active.comment || 'No comment'}</dd>
            </div>
          </dl>
          {canSignOff && (
            <form onSubmit={(e) => submitRevoke(e, active.id)} noValidate>
              <Textarea
                id="revoke-reason"
                label="Reason for revoking"
                hint="The apprentice, their tutor and you will see this."
                rows={3}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                error={localReason ?? fieldError(revoke.error, 'reason')}
              />
              <button className="nhsuk-button nhsuk-button--warning" type="submit" disabled={revoke.isPending}>
                Revoke sign-off of {code}
              </button>
            </form>
          )}
        </>
      ) : (
        <>
          <p>{code} has not been signed off.</p>
          {canSignOff && (
            <form onSubmit={submitSignOff} noValidate>
              {!hasAccepted && (
                <div className="nhsuk-warning-callout">
                  <h3 className="nhsuk-warning-callout__label">
                    <span role="text">
                      <span className="nhsuk-u-visually-hidden">Important: </span>No accepted evidence
                    </span>
                  </h3>
                  <p>The training provider has not accepted any evidence for {code} yet.</p>
                </div>
              )}
              <Textarea
                id="signoff-comment"
                label={`Your comment on ${code} (optional)`}
                hint="For example, what you have seen the apprentice do in the workplace. The apprentice and their tutor will see it."
                rows={4}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                error={localComment ?? fieldError(signOff.error, 'comment')}
              />
              <button className="nhsuk-button" type="submit" disabled={signOff.isPending}>
                Sign off {code}
              </button>
            </form>
          )}
        </>
      )}
      {past.length > 0 && (
        <>
          <h3>Earlier sign-offs</h3>
          <ul className="nhsuk-list">
            {past.map((s) => (
              <li key={s.id}>
                Signed off by {s.signed_off_by.name} on {formatDateTime(s.created_at)}; revoked on{' '}
                {formatDateTime(s.revoked_at)}: {s.revoked_reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
