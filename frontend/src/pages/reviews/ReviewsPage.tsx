/**
 * Progress reviews of one apprenticeship: each review's record, its signatures (void ones
 * marked), and a button for the apprentice, the mentor and the tutor to sign in their own role.
 * The provider's staff record reviews from here and edit drafts nobody has signed.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { signReview } from '../../api/reviews';
import type { ProgressReview, ReviewParty, ReviewStatus, Role } from '../../api/types';
import { useUser } from '../../auth/AuthContext';
import { Confirmation } from '../../components/Confirmation';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageHeading } from '../../components/PageHeading';
import { EmptyState, QueryView } from '../../components/QueryState';
import { invalidate, useReviews } from '../../hooks/queries';
import { formatDate, formatDateTime } from '../../lib/format';
import { PARTY_LABELS } from '../../lib/reviews';
import { Flash } from '../queues/Flash';
import { ReopenReview } from './ReopenReview';
import { SnapshotPreview } from './SnapshotPreview';

const STATUS_LABELS: Record<ReviewStatus, string> = {
  draft: 'Draft',
  awaiting_signatures: 'Waiting for signatures',
  signed: 'Signed by all three',
};

/** The role a user signs in, if they sign at all (administrators do not). */
export function signingRole(role: Role): ReviewParty | null {
  switch (role) {
    case 'apprentice':
      return 'apprentice';
    case 'employer':
      return 'employer';
    case 'provider':
      return 'provider';
    case 'admin':
      return null;
  }
}

function ReviewCard({ review, apprenticeshipId }: { review: ProgressReview; apprenticeshipId: string }) {
  const client = useQueryClient();
  const role = signingRole(useUser().role);
  const sign = useMutation({
    mutationFn: () => signReview(review.id),
    onSuccess: () => invalidate.reviews(client, apprenticeshipId),
  });
  const [reopened, setReopened] = useState<string | null>(null);
  const live = review.signatures.filter((s) => s.voided_at === null || s.voided_at === undefined);
  const signedByMe = role !== null && live.some((s) => s.role === role);
  return (
    <section className="nhsuk-card" aria-labelledby={`review-${review.id}`} data-testid="review">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading" id={`review-${review.id}`}>
          Review held on {formatDate(review.held_on)}
        </h2>
        <p>
          <strong className="nhsuk-tag">{STATUS_LABELS[review.status]}</strong>
          {review.unsigned_overdue && <strong className="nhsuk-tag nhsuk-tag--red nhsuk-u-margin-left-2">Unsigned for over 14 days</strong>}
        </p>
        {review.progress_notes && <p className="app-pre-wrap">{review.progress_notes}</p>}
        {review.concerns && (
          <>
            <h3>Concerns</h3>
            <p className="app-pre-wrap">{review.concerns}</p>
          </>
        )}
        {review.next_actions.length > 0 && (
          <>
            <h3>Next actions</h3>
            <ul>
              {review.next_actions.map((a, i) => (
                <li key={`${i}-${a.action}`}>
                  {a.action} ({PARTY_LABELS[a.owner]}, by {formatDate(a.due_on)})
                </li>
              ))}
            </ul>
          </>
        )}
        <details className="nhsuk-details">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">Figures when the review was recorded</span>
          </summary>
          <div className="nhsuk-details__text">
            <SnapshotPreview nested idPrefix={`snapshot-${review.id}`} heading="Snapshot" intro={`Taken on ${formatDate(review.created_at)}.`} totals={review.snapshot.totals} duties={review.snapshot.duties} otj={review.snapshot.otj} />
          </div>
        </details>
        <h3>Signatures</h3>
        {review.signatures.length === 0 ? (
          <p>Nobody has signed yet.</p>
        ) : (
          <ul data-testid="signatures">
            {review.signatures.map((s) => (
              <li key={s.id} data-void={s.voided_at ? '' : undefined}>
                {s.voided_at && <strong className="nhsuk-tag nhsuk-tag--grey nhsuk-u-margin-right-2">Void</strong>}
                {PARTY_LABELS[s.role]}: {s.signer.name}, {formatDateTime(s.signed_at)}
                {s.valid ? '' : s.voided_at ? ` (void since ${formatDateTime(s.voided_at)}: ${s.void_reason ?? ''})` : ' (made on earlier content, not valid)'}
              </li>
            ))}
          </ul>
        )}
        {reopened && (
          <Confirmation key={reopened} testId="review-reopened">
            <p>{reopened}</p>
          </Confirmation>
        )}
        <ErrorSummary error={sign.error} />
        {role === 'provider' && review.status === 'draft' && live.length === 0 && (
          <p>
            <Link to={`/reviews/${review.id}/edit`}>
              Edit this review<span className="nhsuk-u-visually-hidden"> held on {formatDate(review.held_on)}</span>
            </Link>
          </p>
        )}
        {role !== null && !signedByMe && (
          <button type="button" className="nhsuk-button nhsuk-u-margin-bottom-0" onClick={() => sign.mutate()} disabled={sign.isPending}>
            Sign as {PARTY_LABELS[role].toLowerCase()}
            <span className="nhsuk-u-visually-hidden"> the review held on {formatDate(review.held_on)}</span>
          </button>
        )}
        {role === 'provider' && live.length > 0 && <ReopenReview review={review} onReopened={setReopened} />}
      </div>
    </section>
  );
}

export default function ReviewsPage() {
  const { apprenticeshipId = '' } = useParams();
  const reviews = useReviews(apprenticeshipId);
  const isProvider = useUser().role === 'provider';
  return (
    <>
      <Flash />
      <PageHeading title="Progress reviews" />
      <p className="app-inline-actions">
        {isProvider && (
          <Link className="nhsuk-button nhsuk-u-margin-bottom-3" to={`/apprenticeships/${apprenticeshipId}/reviews/new`}>
            Record a progress review
          </Link>
        )}
        <Link to={`/apprenticeships/${apprenticeshipId}`}>Back to progress</Link>
      </p>
      <QueryView query={reviews} label="Loading the reviews">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>No progress review has been recorded yet.</EmptyState>
          ) : (
            <>
              {page.items.map((review) => (
                <ReviewCard key={review.id} review={review} apprenticeshipId={apprenticeshipId} />
              ))}
            </>
          )
        }
      </QueryView>
    </>
  );
}
