/** Employer (and provider/admin): apprentices in scope with their overall progress. */
import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { getCoverage } from '../../api/apprenticeships';
import { PageHeading } from '../../components/PageHeading';
import { EmptyState, QueryView } from '../../components/QueryState';
import { keys, useApprenticeships } from '../../hooks/queries';
import { overallEvidenced, overallSignedOff } from '../../lib/coverage';
import { formatDate } from '../../lib/format';

export default function ApprenticesPage() {
  const query = useApprenticeships({ limit: 100 });
  const ids = query.data?.items.map((a) => a.id) ?? [];
  // One coverage request per apprentice: an employer has a handful, and /caseload is the
  // provider's aggregated view.
  const coverages = useQueries({
    queries: ids.map((id) => ({ queryKey: keys.coverage(id), queryFn: () => getCoverage(id) })),
  });
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
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {page.items.map((a, i) => {
                    const c = coverages[i];
                    const totals = c?.data?.totals;
                    const pending = c?.isPending ?? true;
                    return (
                      <tr className="nhsuk-table__row" key={a.id}>
                        <th className="nhsuk-table__header" scope="row">
                          <Link to={`/apprenticeships/${a.id}`}>{a.apprentice.name}</Link>
                        </th>
                        <td className="nhsuk-table__cell app-nowrap">{formatDate(a.start_date)}</td>
                        <td className="nhsuk-table__cell app-nowrap">{formatDate(a.expected_end_date)}</td>
                        <td className="nhsuk-table__cell">
                          {totals ? `${totals.signed_off} of ${totals.ksbs} (${overallSignedOff(totals)}%)` : pending ? 'Loading…' : 'Not available'}
                        </td>
                        <td className="nhsuk-table__cell">{totals ? `${overallEvidenced(totals)}%` : pending ? 'Loading…' : 'Not available'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </>
  );
}
