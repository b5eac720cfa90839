/**
 * Record a progress review (/apprenticeships/:id/reviews/new) or edit a draft
 * (/reviews/:id/edit), as the training provider. A new review starts from the previous one's
 * next actions and shows what its snapshot will hold (coverage and OTJ time as they stand; the
 * server takes them when it saves). Edits send If-Match with the ETag read on load, so a change
 * made elsewhere meanwhile is refused (412) rather than overwritten; a signed review is frozen.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode, type SubmitEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { createReview, updateReview } from '../../api/reviews';
import type { ReviewInput } from '../../api/types';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Textarea, TextInput } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { EmptyState, ErrorState, Loading, QueryView } from '../../components/QueryState';
import { invalidate, useCoverage, useOtjSummary, useReview, useReviews } from '../../hooks/queries';
import { formatDate } from '../../lib/format';
import { draftFromReview, previousActionsText, toReviewInput, validateReview, type ReviewDraft } from '../../lib/reviews';
import { actionIds, ADD_ACTION_ID, NextActions } from './NextActions';
import { SnapshotPreview } from './SnapshotPreview';

const IDS = {
  held_on: 'review-held-on',
  previous_actions: 'review-previous-actions',
  progress_notes: 'review-progress-notes',
  concerns: 'review-concerns',
  next_actions: ADD_ACTION_ID,
} as const;
const LABELS: Record<string, string> = {
  held_on: 'Date held',
  previous_actions: 'Actions from the previous review',
  progress_notes: 'Progress',
  concerns: 'Concerns',
};

/** Input ids and summary labels for every field, the actions' by index. */
function fieldMaps(count: number) {
  const ids: Record<string, string> = { ...IDS };
  const labels: Record<string, string> = { ...LABELS };
  for (let i = 0; i < count; i++) {
    const a = actionIds(i);
    ids[`next_actions[${i}].action`] = a.action;
    ids[`next_actions[${i}].owner`] = a.owner;
    ids[`next_actions[${i}].due_on`] = a.due_on;
    labels[`next_actions[${i}].action`] = `Action ${i + 1}`;
    labels[`next_actions[${i}].owner`] = `The owner of action ${i + 1}`;
    labels[`next_actions[${i}].due_on`] = `The due date of action ${i + 1}`;
  }
  return { ids, labels };
}

export default function ReviewFormPage() {
  const { apprenticeshipId, reviewId } = useParams();
  if (reviewId !== undefined) return <EditReview reviewId={reviewId} />;
  return <NewReview apprenticeshipId={apprenticeshipId ?? ''} />;
}

function NewReview({ apprenticeshipId }: { apprenticeshipId: string }) {
  const reviews = useReviews(apprenticeshipId);
  const coverage = useCoverage(apprenticeshipId);
  const otj = useOtjSummary(apprenticeshipId);
  const title = 'Record a progress review';
  const failed = reviews.error ?? coverage.error ?? otj.error;
  if (failed) {
    return (
      <>
        <PageHeading title={title} />
        <ErrorState error={failed} retry={() => void Promise.all([reviews.refetch(), coverage.refetch(), otj.refetch()])} />
      </>
    );
  }
  if (!reviews.data || !coverage.data || !otj.data) {
    return (
      <>
        <PageHeading title={title} />
        <Loading label="Loading the review form" />
      </>
    );
  }
  // The list is latest held first: the previous review is the first.
  const previous = reviews.data.items[0];
  return (
    <ReviewForm
      title={title}
      apprenticeshipId={apprenticeshipId}
      initial={{ held_on: '', previous_actions: previousActionsText(previous), progress_notes: '', concerns: '', next_actions: [] }}
      previousHint={previous ? `Filled in from the next actions of the review held on ${formatDate(previous.held_on)}. Say how each went.` : 'This is the first review.'}
      submitLabel="Save review"
      saved="Review recorded. It needs the apprentice's, the employer's and your signature."
      save={async (input) => {
        await createReview(apprenticeshipId, input);
      }}
      preview={
        <SnapshotPreview
          heading="What the record will keep"
          intro="When you save, the review keeps these figures as they stand then, so the record shows what was discussed even after later changes."
          totals={coverage.data.totals}
          duties={coverage.data.duties}
          otj={otj.data}
        />
      }
    />
  );
}

function EditReview({ reviewId }: { reviewId: string }) {
  const query = useReview(reviewId);
  return (
    <QueryView query={query} label="Loading the review">
      {({ review, etag }) => {
        const signed = review.signatures.some((s) => !s.voided_at);
        if (review.status !== 'draft' || signed) {
          return (
            <>
              <PageHeading title="Edit progress review" />
              <EmptyState>
                This review has been signed, so it can no longer be changed.{' '}
                <Link to={`/apprenticeships/${review.apprenticeship_id}/reviews`}>Go back to the reviews</Link>.
              </EmptyState>
            </>
          );
        }
        return (
          <ReviewForm
            key={etag}
            title="Edit progress review"
            apprenticeshipId={review.apprenticeship_id}
            initial={draftFromReview(review)}
            submitLabel="Save changes"
            saved="Review updated."
            save={async (input) => {
              await updateReview(review.id, etag, input);
            }}
            preview={
              <SnapshotPreview
                heading="What the record keeps"
                intro={`Taken when the review was recorded on ${formatDate(review.created_at)}; editing the review does not change it.`}
                totals={review.snapshot.totals}
                duties={review.snapshot.duties}
                otj={review.snapshot.otj}
              />
            }
          />
        );
      }}
    </QueryView>
  );
}

function ReviewForm({
  title,
  apprenticeshipId,
  initial,
  previousHint,
  submitLabel,
  saved,
  save,
  preview,
}: {
  title: string;
  apprenticeshipId: string;
  initial: ReviewDraft;
  previousHint?: string;
  submitLabel: string;
  saved: string;
  save: (input: ReviewInput) => Promise<void>;
  preview: ReactNode;
}) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<ReviewDraft>(initial);
  const [local, setLocal] = useState<Record<string, string>>({});
  const reviewsPath = `/apprenticeships/${apprenticeshipId}/reviews`;
  const mutation = useMutation({
    mutationFn: save,
    onSuccess: async () => {
      await invalidate.reviews(client, apprenticeshipId);
      void navigate(reviewsPath, { state: { message: saved } });
    },
  });
  const { ids, labels } = fieldMaps(draft.next_actions.length);
  const localItems: SummaryItem[] = Object.entries(local).map(([field, message]) => ({ href: ids[field] ? `#${ids[field]}` : undefined, message }));
  const err = (field: string) => fieldError(mutation.error, field, local);
  const set = (change: Partial<ReviewDraft>) => setDraft((d) => ({ ...d, ...change }));

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors = validateReview(draft);
    setLocal(errors);
    if (Object.keys(errors).length > 0) return;
    mutation.reset();
    mutation.mutate(toReviewInput(draft));
  }

  return (
    <>
      <PageHeading title={title} />
      <ErrorSummary items={localItems.length > 0 ? localItems : undefined} error={mutation.error} fieldIds={ids} fieldLabels={labels} />
      {preview}
      <form onSubmit={submit} noValidate>
        <h2>The review</h2>
        <TextInput
          id={IDS.held_on}
          name="held_on"
          label="Date held"
          hint="Not in the future, and not before the apprenticeship started."
          type="date"
          className="nhsuk-input--width-10"
          value={draft.held_on}
          onChange={(e) => set({ held_on: e.target.value })}
          error={err('held_on')}
        />
        <Textarea id={IDS.previous_actions} name="previous_actions" label="Actions from the previous review" hint={previousHint} value={draft.previous_actions} onChange={(e) => set({ previous_actions: e.target.value })} error={err('previous_actions')} />
        <Textarea id={IDS.progress_notes} name="progress_notes" label="Progress" hint="Progress against the KSBs and the plan since the last review." value={draft.progress_notes} onChange={(e) => set({ progress_notes: e.target.value })} error={err('progress_notes')} />
        <Textarea
          id={IDS.concerns}
          name="concerns"
          label="Concerns"
          hint="Wellbeing, safeguarding and any change of circumstances. Never include anything that identifies a patient."
          value={draft.concerns}
          onChange={(e) => set({ concerns: e.target.value })}
          error={err('concerns')}
        />
        <NextActions actions={draft.next_actions} onChange={(next_actions) => set({ next_actions })} error={err} />
        <div className="app-inline-actions">
          <button className="nhsuk-button" type="submit" disabled={mutation.isPending}>
            {submitLabel}
          </button>
          <Link to={reviewsPath}>Cancel</Link>
        </div>
      </form>
    </>
  );
}
