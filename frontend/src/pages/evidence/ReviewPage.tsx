/**
 * Provider review of submitted evidence: accept, or send back with feedback. The page names the
 * apprentice and the apprenticeship. After a decision it opens the next item of the review
 * queue the reviewer came from (same scope, same place: the item that has moved up into this
 * one's position), with a confirmation of the decision that takes focus; when nothing is left it
 * goes back to the queue.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { reviewEvidence } from '../../api/evidence';
import { getReviewQueue } from '../../api/queues';
import type { ListScope, ReviewDecision } from '../../api/types';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Textarea } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { EmptyState, ErrorState, Loading } from '../../components/QueryState';
import { EvidenceStatusTag } from '../../components/Tags';
import { WhoseWork } from '../../components/WhoseWork';
import { invalidate, useApprenticeship, useCatalogue, useEvidence } from '../../hooks/queries';
import { formatDate, KIND_LABELS, nameOf } from '../../lib/format';
import { Flash } from '../queues/Flash';
import { queueLink, reviewLink } from '../queues/reviewLinks';
import { Attachments } from './Attachments';
import { Reviews } from './Reviews';

/** A new page per evidence item, so a decision's state never carries over to the next one. */
export default function ReviewRoute() {
  const { evidenceId = '' } = useParams();
  return <ReviewPage key={evidenceId} evidenceId={evidenceId} />;
}

/** Where the next item is: at the same position of the same queue, else the oldest left. */
async function nextInQueue(scope: ListScope, at: number, current: string) {
  const here = await getReviewQueue({ scope, limit: 1, offset: at });
  const found = here.items.find((i) => i.evidence_id !== current);
  if (found) return { item: found, at, left: here.total };
  if (at === 0) return { item: undefined, at: 0, left: here.total };
  const first = await getReviewQueue({ scope, limit: 1, offset: 0 });
  return { item: first.items.find((i) => i.evidence_id !== current), at: 0, left: first.total };
}

function ReviewPage({ evidenceId }: { evidenceId: string }) {
  const [params] = useSearchParams();
  const scope: ListScope = params.get('scope') === 'organisation' ? 'organisation' : 'mine';
  const at = Math.max(0, Number.parseInt(params.get('at') ?? '0', 10) || 0);
  const query = useEvidence(evidenceId);
  const apprenticeship = useApprenticeship(query.data?.evidence.apprenticeship_id ?? '', query.data !== undefined);
  const standard = useCatalogue(apprenticeship.data);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<ReviewDecision | ''>('');
  const [feedback, setFeedback] = useState('');
  const [local, setLocal] = useState<SummaryItem[]>([]);

  const review = useMutation({
    mutationFn: (d: ReviewDecision) => reviewEvidence(evidenceId, d, feedback.trim()),
    onSuccess: async (_result, d) => {
      const apprenticeshipId = query.data?.evidence.apprenticeship_id;
      if (apprenticeshipId !== undefined) await invalidate.evidence(queryClient, { apprenticeshipId, evidenceId });
      const title = query.data?.evidence.title ?? 'The evidence';
      const who = nameOf(apprenticeship.data?.apprentice, 'the apprentice');
      const done = d === 'accepted' ? `Accepted “${title}” for ${who}.` : `Sent “${title}” back to ${who} with your feedback.`;
      const next = await nextInQueue(scope, at, evidenceId);
      if (next.item) {
        const more = next.left === 1 ? 'This is the last item waiting.' : `${next.left} items are waiting, this one included.`;
        void navigate(reviewLink(next.item.evidence_id, scope, next.at), {
          state: { message: `${done} Next in the review queue: “${next.item.title}” from ${next.item.apprentice.name}. ${more}` },
        });
      } else {
        void navigate(queueLink(scope, 0), { state: { message: `${done} Nothing else is waiting for review.` } });
      }
    },
  });

  function handle(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems: SummaryItem[] = [];
    if (decision === '') problems.push({ href: '#decision-accepted', message: 'Choose whether to accept the evidence or send it back' });
    if (decision === 'changes_requested' && feedback.trim() === '') {
      problems.push({ href: '#review-feedback', message: 'Enter feedback saying what needs to change' });
    }
    setLocal(problems);
    if (problems.length === 0 && decision !== '') review.mutate(decision);
  }

  if (query.error || standard.error || apprenticeship.error || !query.data || !standard.data || !apprenticeship.data) {
    return (
      <>
        <PageHeading title="Review evidence" />
        {query.error || standard.error || apprenticeship.error ? (
          <ErrorState error={query.error ?? standard.error ?? apprenticeship.error} retry={() => void Promise.all([query.refetch(), standard.refetch(), apprenticeship.refetch()])} />
        ) : (
          <Loading label="Loading evidence" />
        )}
      </>
    );
  }
  const { evidence } = query.data;
  const decisionError = local.find((i) => i.href === '#decision-accepted')?.message ?? fieldError(review.error, 'decision');
  const feedbackError = local.find((i) => i.href === '#review-feedback')?.message ?? fieldError(review.error, 'feedback');

  return (
    <>
      <p className="nhsuk-u-margin-bottom-3">
        <Link to={queueLink(scope, at)}>Back to review queue</Link>
      </p>
      <Flash />
      {local.length > 0 ? (
        <ErrorSummary items={local} />
      ) : (
        <ErrorSummary error={review.error} fieldIds={{ decision: 'decision-accepted', feedback: 'review-feedback' }} />
      )}
      <PageHeading title={`Review: ${evidence.title}`} caption={nameOf(apprenticeship.data.apprentice)} />
      <WhoseWork apprenticeship={apprenticeship.data} standardTitle={standard.data.title} />
      <p>
        <EvidenceStatusTag status={evidence.status} /> {KIND_LABELS[evidence.kind]}, {formatDate(evidence.occurred_on)}
      </p>
      <p>
        <Link to={`/apprenticeships/${evidence.apprenticeship_id}`}>See {nameOf(apprenticeship.data.apprentice, 'the apprentice')}’s full portfolio</Link>
      </p>
      <h2 className="nhsuk-heading-s">Description</h2>
      <p className="app-pre-wrap">{evidence.description}</p>
      <h2 className="nhsuk-heading-s">KSBs claimed</h2>
      <dl className="nhsuk-summary-list">
        {evidence.ksbs.map((code) => (
          <div className="nhsuk-summary-list__row" key={code}>
            <dt className="nhsuk-summary-list__key">{code}</dt>
            <dd className="nhsuk-summary-list__value">{standard.data.ksbs.find((k) => k.code === code)?.text ?? 'Unknown KSB'}</dd>
          </div>
        ))}
      </dl>
      <Attachments evidenceId={evidence.id} apprenticeshipId={evidence.apprenticeship_id} canUpload={false} />
      <Reviews reviews={evidence.reviews} />
      {evidence.status !== 'submitted' ? (
        <EmptyState>This evidence is not waiting for review.</EmptyState>
      ) : (
        <form onSubmit={handle} noValidate>
          <div className={`nhsuk-form-group${decisionError ? ' nhsuk-form-group--error' : ''}`}>
            <fieldset className="nhsuk-fieldset" aria-describedby={decisionError ? 'decision-error' : undefined}>
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
                <h2 className="nhsuk-fieldset__heading">Your decision</h2>
              </legend>
              {decisionError && (
                <span className="nhsuk-error-message" id="decision-error">
                  <span className="nhsuk-u-visually-hidden">Error:</span> {decisionError}
                </span>
              )}
              <div className="nhsuk-radios">
                <div className="nhsuk-radios__item">
                  <input className="nhsuk-radios__input" id="decision-accepted" name="decision" type="radio" value="accepted" checked={decision === 'accepted'} onChange={() => setDecision('accepted')} />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor="decision-accepted">
                    Accept
                  </label>
                </div>
                <div className="nhsuk-radios__item">
                  <input className="nhsuk-radios__input" id="decision-changes" name="decision" type="radio" value="changes_requested" checked={decision === 'changes_requested'} onChange={() => setDecision('changes_requested')} />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor="decision-changes">
                    Send back for changes
                  </label>
                </div>
              </div>
            </fieldset>
          </div>
          <Textarea
            id="review-feedback"
            label="Feedback to the apprentice"
            hint="Required when sending back: say what is missing or needs to change."
            rows={5}
            value={feedback}
            onChange={(e) => setFeedback(e.target.value)}
            error={feedbackError}
          />
          <button className="nhsuk-button" type="submit" disabled={review.isPending}>
            Save decision
          </button>
        </form>
      )}
    </>
  );
}
