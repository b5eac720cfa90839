/** One piece of evidence: details, feedback, the actions its status allows, files, comments. */
import { useEffect, useRef } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useUser } from '../../auth/AuthContext';
import { PageHeading } from '../../components/PageHeading';
import { ErrorState, Loading } from '../../components/QueryState';
import { EvidenceStatusTag } from '../../components/Tags';
import { useEvidence } from '../../hooks/queries';
import { formatDate, formatDateTime, KIND_LABELS } from '../../lib/format';
import { Attachments } from './Attachments';
import { Comments } from './Comments';
import { EvidenceActions } from './EvidenceActions';
import { Reviews } from './Reviews';
import { Revisions } from './Revisions';

export default function EvidenceDetailPage() {
  const { evidenceId = '' } = useParams();
  const user = useUser();
  const location = useLocation();
  const flash = (location.state as { message?: string } | null)?.message;
  const query = useEvidence(evidenceId);
  // The confirmation of what just happened takes focus when it appears (the route's own focus
  // goes to it too when it is already there).
  const confirmation = useRef<HTMLDivElement>(null);
  const loaded = query.data !== undefined;
  useEffect(() => {
    if (flash && loaded) confirmation.current?.focus();
  }, [flash, loaded]);

  if (query.error) {
    return (
      <>
        <PageHeading title="Evidence" />
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      </>
    );
  }
  if (!query.data) {
    return (
      <>
        <PageHeading title="Evidence" />
        <Loading label="Loading evidence" />
      </>
    );
  }

  const { evidence } = query.data;
  const own = user.role === 'apprentice';
  const canAttach = own && (evidence.status === 'draft' || evidence.status === 'changes_requested');

  return (
    <>
      <p className="nhsuk-u-margin-bottom-3">
        <Link to={`/apprenticeships/${evidence.apprenticeship_id}/evidence`}>Back to evidence</Link>
      </p>
      {flash && (
        <div className="nhsuk-inset-text" role="status" tabIndex={-1} ref={confirmation} data-route-focus="" data-testid="confirmation">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{flash}</p>
        </div>
      )}
      <PageHeading title={evidence.title} caption="Evidence" />
      <p>
        <EvidenceStatusTag status={evidence.status} />
      </p>
      {evidence.status === 'changes_requested' && evidence.feedback && (
        <div className="nhsuk-warning-callout" data-testid="feedback">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Changes requested
            </span>
          </h2>
          <p className="app-pre-wrap">{evidence.feedback}</p>
        </div>
      )}
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Type</dt>
          <dd className="nhsuk-summary-list__value">{KIND_LABELS[evidence.kind]}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Date it happened</dt>
          <dd className="nhsuk-summary-list__value">{formatDate(evidence.occurred_on)}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">KSBs</dt>
          <dd className="nhsuk-summary-list__value">
            <ul className="nhsuk-list app-inline-actions nhsuk-u-margin-bottom-0">
              {evidence.ksbs.map((code) => (
                <li key={code}>
                  <Link to={`/apprenticeships/${evidence.apprenticeship_id}/ksbs/${code}`}>{code}</Link>
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Description</dt>
          <dd className="nhsuk-summary-list__value app-pre-wrap">{evidence.description}</dd>
        </div>
        {evidence.submitted_at && (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Submitted</dt>
            <dd className="nhsuk-summary-list__value">{formatDateTime(evidence.submitted_at)}</dd>
          </div>
        )}
        {evidence.status === 'withdrawn' && (
          <div className="nhsuk-summary-list__row" data-testid="withdrawn">
            <dt className="nhsuk-summary-list__key">Withdrawn</dt>
            <dd className="nhsuk-summary-list__value app-pre-wrap">
              {formatDateTime(evidence.withdrawn_at)}
              {evidence.withdrawn_reason ? `: ${evidence.withdrawn_reason}` : ''}
            </dd>
          </div>
        )}
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Last changed</dt>
          <dd className="nhsuk-summary-list__value">{formatDateTime(evidence.updated_at)}</dd>
        </div>
      </dl>
      <EvidenceActions evidence={evidence} role={user.role} />
      <Reviews reviews={evidence.reviews} />
      <Attachments evidenceId={evidence.id} apprenticeshipId={evidence.apprenticeship_id} canUpload={canAttach} />
      <Comments evidenceId={evidence.id} />
      <Revisions evidenceId={evidence.id} />
    </>
  );
}
