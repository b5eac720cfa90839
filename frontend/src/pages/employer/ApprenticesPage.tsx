/**
 * Employer (and provider/admin): apprentices in scope with their overall progress. The caseload
 * endpoint is open to every role and scoped to the caller, so one request brings every
 * apprentice with their totals (no coverage request per apprentice) and their standing on
 * progress reviews, with a link to the reviews a mentor signs.
 */
import { Link } from 'react-router';
import { PageHeading } from '../../components/PageHeading';
import { ReviewStandingCell } from '../../components/ReviewStanding';
import { EmptyState, QueryView } from '../../components/QueryState';
import { useCaseload } from '../../hooks/queries';
import { sortCaseload } from '../../lib/caseload';
import { overallEvidenced, overallSignedOff } from '../../lib/coverage';
import { formatDate } from '../../lib/format';

export default function ApprenticesPage() {
  const query = useCaseload('progress');
  return (
    <>
      <PageHeading title="My apprentices" />
      <p>
        <Link to="/signoff-queue">See KSBs waiting for your sign-off</Link>
      </p>
      <QueryView query={query} label="Loading apprentices">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>You have no apprentices yet.</EmptyState>
          ) : (
            <div className="app-table-scroll" tabIndex={0} role="region" aria-labelledby="apprentices-caption">
              <table className="nhsuk-table" data-testid="apprentices">
                <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="apprentices-caption">
                  {page.total} apprentice{page.total === 1 ? '' : 's'}
                </caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th className="nhsuk-table__header" scope="col">Apprentice</th>
                    <th className="nhsuk-table__header" scope="col">Started</th>
                    <th className="nhsuk-table__header" scope="col">Expected end</th>
                    <th className="nhsuk-table__header" scope="col">Signed off</th>
                    <th className="nhsuk-table__header" scope="col">Evidenced or signed off</th>
                    <th className="nhsuk-table__header" scope="col">Progress reviews</th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {sortCaseload(page.items, 'name', 'ascending').map((a) => (
                    <tr className="nhsuk-table__row" key={a.apprenticeship_id}>
                      <th className="nhsuk-table__header" scope="row">
                        <Link to={`/apprenticeships/${a.apprenticeship_id}`}>{a.apprentice.name}</Link>
                      </th>
                      <td className="nhsuk-table__cell app-nowrap">{formatDate(a.start_date)}</td>
                      <td className="nhsuk-table__cell app-nowrap">{formatDate(a.expected_end_date)}</td>
                      <td className="nhsuk-table__cell">
                        {a.totals.signed_off} of {a.totals.ksbs} ({overallSignedOff(a.totals)}%)
                      </td>
                      <td className="nhsuk-table__cell">{overallEvidenced(a.totals)}%</td>
                      <ReviewStandingCell standing={a} who={a.apprentice.name} reviewsHref={`/apprenticeships/${a.apprenticeship_id}/reviews`} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </>
  );
}
