/**
 * Progress of one apprenticeship: the apprentice's "My progress", and the full portfolio view
 * for their mentor and tutor. Duty bars (with table twin), then the grid of all KSBs.
 */
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { useUser } from '../../auth/AuthContext';
import { DutyBars } from '../../components/DutyBars';
import { KsbGrid } from '../../components/KsbGrid';
import { PageHeading } from '../../components/PageHeading';
import { ProvisionalNotice } from '../../components/ProvisionalNotice';
import { ErrorState, Loading } from '../../components/QueryState';
import { useApprenticeship, useCoverage, useCatalogue } from '../../hooks/queries';
import { elapsedPercent } from '../../lib/caseload';
import { overallEvidenced, overallSignedOff } from '../../lib/coverage';
import { nameOf } from '../../lib/format';
import { Flash } from '../queues/Flash';
import { ApprenticeshipSummary } from './ApprenticeshipSummary';
import { BreaksPanel } from './BreaksPanel';

export default function ProgressPage() {
  const { apprenticeshipId = '' } = useParams();
  const user = useUser();
  const apprenticeship = useApprenticeship(apprenticeshipId);
  const coverage = useCoverage(apprenticeshipId);
  const standard = useCatalogue(apprenticeship.data);
  const own = user.role === 'apprentice';
  // Provider users see only their own provider's apprenticeships: each one here is theirs.
  const providerStaff = user.role === 'provider';
  const canChange = providerStaff || user.role === 'admin';
  const today = useMemo(() => new Date(), []);
  const title = own ? 'My progress' : `Portfolio: ${nameOf(apprenticeship.data?.apprentice, 'apprentice')}`;

  const failed = apprenticeship.error ?? coverage.error ?? standard.error;
  return (
    <>
      <Flash />
      <PageHeading title={title} />
      {failed ? (
        <ErrorState
          error={failed}
          retry={() => {
            void apprenticeship.refetch();
            void coverage.refetch();
            void standard.refetch();
          }}
        />
      ) : !apprenticeship.data || !coverage.data || !standard.data ? (
        <Loading label="Loading progress" />
      ) : (
        <>
          {!own && <ApprenticeshipSummary apprenticeship={apprenticeship.data} changeHref={canChange ? `/apprenticeships/${apprenticeshipId}/change` : undefined} />}
          <p className="nhsuk-body-l" data-testid="overall-progress">
            {coverage.data.totals.signed_off} of {coverage.data.totals.ksbs} KSBs signed off (
            {overallSignedOff(coverage.data.totals)}%); {overallEvidenced(coverage.data.totals)}% evidenced or signed off.
          </p>
          <div className="app-inline-actions nhsuk-u-margin-bottom-5">
            {own && (
              <Link className="nhsuk-button nhsuk-u-margin-bottom-3" to={`/apprenticeships/${apprenticeshipId}/evidence/new`}>
                Add evidence
              </Link>
            )}
            <Link to={`/apprenticeships/${apprenticeshipId}/evidence`}>{own ? 'My evidence' : 'All evidence'}</Link>
            <Link to={`/apprenticeships/${apprenticeshipId}/otj`}>Off-the-job training</Link>
            <Link to={`/apprenticeships/${apprenticeshipId}/reviews`}>Progress reviews</Link>
            <Link to={`/apprenticeships/${apprenticeshipId}/gateway`}>Gateway</Link>
          </div>
          <h2>Progress by duty</h2>
          <ProvisionalNotice mapping={standard.data.mapping} />
          <DutyBars
            duties={coverage.data.duties}
            elapsed={{
              percent: elapsedPercent(apprenticeship.data, today),
              from: apprenticeship.data.start_date,
              to: apprenticeship.data.expected_end_date,
            }}
          />
          <KsbGrid standard={standard.data} coverage={coverage.data.ksbs} apprenticeshipId={apprenticeshipId} />
          <BreaksPanel apprenticeship={apprenticeship.data} canManage={providerStaff} />
        </>
      )}
    </>
  );
}
