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
import { Body, Cell, Head, Row, RowHeader, Table } from '../../components/Table';

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
            <Table scroll captionId="apprentices-caption" testId="apprentices" caption={<>{page.total} apprentice{page.total === 1 ? '' : 's'}</>}>
              <Head columns={['Apprentice', 'Started', 'Expected end', 'Signed off', 'Evidenced or signed off', 'Progress reviews']} />
              <Body>
                {sortCaseload(page.items, 'name', 'ascending').map((a) => (
                  <Row key={a.apprenticeship_id}>
                    <RowHeader>
                      <Link to={`/apprenticeships/${a.apprenticeship_id}`}>{a.apprentice.name}</Link>
                    </RowHeader>
                    <Cell className="app-nowrap">{formatDate(a.start_date)}</Cell>
                    <Cell className="app-nowrap">{formatDate(a.expected_end_date)}</Cell>
                    <Cell>
                      {a.totals.signed_off} of {a.totals.ksbs} ({overallSignedOff(a.totals)}%)
                    </Cell>
                    <Cell>{overallEvidenced(a.totals)}%</Cell>
                    <ReviewStandingCell standing={a} who={a.apprentice.name} reviewsHref={`/apprenticeships/${a.apprenticeship_id}/reviews`} />
                  </Row>
                ))}
              </Body>
            </Table>
          )
        }
      </QueryView>
    </>
  );
}
