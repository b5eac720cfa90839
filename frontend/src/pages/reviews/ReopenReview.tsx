/**
 * "Reopen this review", for the provider's staff on a review someone has signed: it says what
 * reopening does (every signature is voided, kept in the record and marked void with the
 * reason; the review returns to draft and all three sign it again) and asks why. The card that
 * holds it shows the confirmation, since this form goes once nothing is signed.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { reopenReview } from '../../api/reviews';
import type { ProgressReview } from '../../api/types';
import { ErrorSummary, fieldError } from '../../components/ErrorSummary';
import { Textarea } from '../../components/Fields';
import { invalidate } from '../../hooks/queries';
import { formatDate } from '../../lib/format';
import { PARTY_LABELS } from '../../lib/reviews';

export function ReopenReview({ review, onReopened }: { review: ProgressReview; onReopened: (message: string) => void }) {
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const live = review.signatures.filter((s) => !s.voided_at);
  const reasonId = `reopen-reason-${review.id}`;
  const held = formatDate(review.held_on);
  const reopen = useMutation({
    mutationFn: () => reopenReview(review.id, reason.trim()),
    onSuccess: async () => {
      const who = live.map((s) => `${PARTY_LABELS[s.role].toLowerCase()} (${s.signer.name})`).join(', ');
      await invalidate.reviews(client, review.apprenticeship_id);
      onReopened(
        `Review held on ${held} reopened. ${live.length === 1 ? 'The signature' : `The ${live.length} signatures`} of the ${who} ${live.length === 1 ? 'is' : 'are'} now void: kept in the record, marked void with your reason. The review is a draft again; once it is right, all three sign it again.`,
      );
    },
  });

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const empty = reason.trim() === '';
    setMissing(empty);
    if (empty) return;
    reopen.mutate();
  }

  const message = missing ? 'Say why the signed review must change' : fieldError(reopen.error, 'reason');
  return (
    <details className="nhsuk-details nhsuk-u-margin-top-4 nhsuk-u-margin-bottom-0">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">
          Reopen this review<span className="nhsuk-u-visually-hidden"> held on {held}</span>
        </span>
      </summary>
      <div className="nhsuk-details__text">
        {missing ? <ErrorSummary items={[{ href: `#${reasonId}`, message: 'Say why the signed review must change' }]} /> : <ErrorSummary error={reopen.error} fieldIds={{ reason: reasonId }} fieldLabels={{ reason: 'Reason' }} />}
        <p>Reopen a signed review only to correct its record. Reopening:</p>
        <ul>
          <li>voids every signature on it: they stay in the record, marked void with your reason;</li>
          <li>returns the review to draft, so it can be edited;</li>
          <li>asks the apprentice, the employer and the provider to sign it again.</li>
        </ul>
        <form onSubmit={submit} noValidate>
          <Textarea
            id={reasonId}
            name="reason"
            label="Why must the signed review change?"
            hint="The apprentice and the employer will see this beside the void signatures."
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={message}
          />
          <button className="nhsuk-button nhsuk-button--warning nhsuk-u-margin-bottom-0" type="submit" disabled={reopen.isPending}>
            Reopen this review<span className="nhsuk-u-visually-hidden"> held on {held}</span>
          </button>
        </form>
      </div>
    </details>
  );
}
