/** Provider review of submitted evidence: accept, or send back with feedback. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { reviewEvidence } from '../../api/evidence';
import type { ReviewDecision } from '../../api/types';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Textarea } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { EmptyState, ErrorState, Loading } from '../../components/QueryState';
import { EvidenceStatusTag } from '../../components/Tags';
import { useEvidence, useStandard } from '../../hooks/queries';
import { formatDate, KIND_LABELS } from '../../lib/format';
import { Attachments } from './Attachments';
import { Reviews } from './Reviews';

export default function ReviewPage() {
  const { evidenceId = '' } = useParams();
  const query = useEvidence(evidenceId);
  const standard = useStandard();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<ReviewDecision | ''>('');
  const [feedback, setFeedback] = useState('');
  const [local, setLocal] = useState<SummaryItem[]>([]);

  const review = useMutation({
    mutationFn: (d: ReviewDecision) => reviewEvidence(evidenceId, d, feedback.trim()),
    onSuccess: async (_result, d) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['evidence', evidenceId] }),
        queryClient.invalidateQueries({ queryKey: ['review-queue'] }),
        queryClient.invalidateQueries({ queryKey: ['evidence-list'] }),
        queryClient.invalidateQueries({ queryKey: ['coverage'] }),
        queryClient.invalidateQueries({ queryKey: ['caseload'] }),
      ]);
      void navigate('/review-queue', {
        state: { message: d === 'accepted' ? 'Evidence accepted.' : 'Evidence sent back with your feedback.' },
      });
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

  if (query.error || standard.error || !query.data || !standard.data) {
    return (
      <>
        <PageHeading title="Review evidence" />
        {query.error || standard.error ? (
          <ErrorState error={query.error ?? standard.error} retry={() => void Promise.all([query.refetch(), standard.refetch()])} />
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
        <Link to="/review-queue">Back to review queue</Link>
      </p>
      {local.length > 0 ? (
        <ErrorSummary items={local} />
      ) : (
        <ErrorSummary error={review.error} fieldIds={{ decision: 'decision-accepted', feedback: 'review-feedback' }} />
      )}
      <PageHeading title={`Review: ${evidence.title}`} />
      <p>
        <EvidenceStatusTag status={evidence.status} /> {KIND_LABELS[evidence.kind]}, {formatDate(evidence.occurred_on)}
      </p>
      <p>
        <Link to={`/apprenticeships/${evidence.apprenticeship_id}`}>See the apprentice’s full portfolio</Link>
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
      <Attachments evidenceId={evidence.id} canUpload={false} />
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
