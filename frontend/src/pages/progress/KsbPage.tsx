/**
 * One KSB of one apprenticeship: whose it is, its full statement, the duties that list it, the
 * evidence for it, and its sign-off. The apprenticeship's mentor signs off or revokes here, with
 * the accepted evidence (title, type, date, a link) beside the form.
 *
 * The sign-off form (SignoffPanel) names the KSB it signs off in its labels and confirmation,
 * and the KSB's statement and evidence sit in their own section, so signing off several KSBs at
 * once can repeat that section per KSB above one form.
 */
import { Link, useParams } from 'react-router';
import type { Evidence } from '../../api/types';
import { useUser } from '../../auth/AuthContext';
import { PageHeading } from '../../components/PageHeading';
import { Body, Cell, Head, Row, RowHeader, Table } from '../../components/Table';
import { WhoseWork } from '../../components/WhoseWork';
import { ProvisionalNotice } from '../../components/ProvisionalNotice';
import { EmptyState, ErrorState, Loading } from '../../components/QueryState';
import { EvidenceStatusTag, KsbStatusTag } from '../../components/Tags';
import { useApprenticeship, useCoverage, useEvidenceList, useSignoffs, useCatalogue } from '../../hooks/queries';
import { formatDate, KSB_KIND_LABELS, kindLabel, nameOf } from '../../lib/format';
import { dutiesOf } from '../../lib/ksbSearch';
import { SignoffPanel } from './SignoffPanel';

function EvidenceTable({ items, caption, showStatus }: { items: Evidence[]; caption: string; showStatus: boolean }) {
  return (
    <Table responsive caption={caption}>
      <Head columns={['Title', 'Type', 'Date', showStatus && 'Status']} />
      <Body>
        {items.map((e) => (
          <Row key={e.id}>
            <RowHeader heading="Title">
              <Link to={`/evidence/${e.id}`}>{e.title}</Link>
            </RowHeader>
            <Cell heading="Type">{kindLabel(e.kind)}</Cell>
            <Cell heading="Date" className="app-nowrap">{formatDate(e.occurred_on)}</Cell>
            {showStatus && (
              <Cell heading="Status">
                <EvidenceStatusTag status={e.status} />
              </Cell>
            )}
          </Row>
        ))}
      </Body>
    </Table>
  );
}

export default function KsbPage() {
  const { apprenticeshipId = '', code = '' } = useParams();
  const user = useUser();
  const apprenticeship = useApprenticeship(apprenticeshipId);
  const standard = useCatalogue(apprenticeship.data);
  const coverage = useCoverage(apprenticeshipId);
  const evidence = useEvidenceList(apprenticeshipId, { ksb: code, limit: 100 });
  const signoffs = useSignoffs(apprenticeshipId);

  const ksb = standard.data?.ksbs.find((k) => k.code === code);
  const failed = standard.error ?? coverage.error ?? evidence.error ?? signoffs.error ?? apprenticeship.error;
  const ready = standard.data && coverage.data && evidence.data && signoffs.data && apprenticeship.data;

  let body;
  if (failed) {
    body = <ErrorState error={failed} retry={() => void Promise.all([standard.refetch(), coverage.refetch(), evidence.refetch(), signoffs.refetch(), apprenticeship.refetch()])} />;
  } else if (!ready) {
    body = <Loading label="Loading KSB" />;
  } else if (ksb === undefined) {
    body = <EmptyState>There is no KSB called {code} in this standard.</EmptyState>;
  } else {
    const status = coverage.data.ksbs.find((k) => k.code === code)?.status ?? 'not_started';
    const duties = dutiesOf(standard.data.duties, code);
    const accepted = evidence.data.items.filter((e) => e.status === 'accepted');
    const others = evidence.data.items.filter((e) => e.status !== 'accepted');
    const history = signoffs.data.items.filter((s) => s.ksb === code);
    body = (
      <>
        <WhoseWork apprenticeship={apprenticeship.data} standardTitle={standard.data.title} />
        <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-2">Statement</h2>
        <p className="nhsuk-body-l" data-testid="ksb-statement">{ksb.text}</p>
        <p>
          Status: <KsbStatusTag status={status} />
        </p>
        <h2 className="nhsuk-heading-s">Duties that list {code}</h2>
        <ProvisionalNotice mapping={standard.data.mapping} />
        {duties.length === 0 ? (
          <p>No duty lists this KSB.</p>
        ) : (
          <ul>
            {duties.map((d) => (
              <li key={d.code}>
                {d.code}: {d.text}
              </li>
            ))}
          </ul>
        )}
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-half">
            <h2>Evidence for {code}</h2>
            {accepted.length > 0 ? (
              <EvidenceTable items={accepted} caption={`Accepted evidence for ${code}`} showStatus={false} />
            ) : (
              <EmptyState>No accepted evidence for {code} yet.</EmptyState>
            )}
            {others.length > 0 && <EvidenceTable items={others} caption={`Other evidence for ${code}`} showStatus />}
          </div>
          <div className="nhsuk-grid-column-one-half">
            <SignoffPanel
              apprenticeshipId={apprenticeshipId}
              code={code}
              history={history}
              canSignOff={user.role === 'employer'}
              hasAccepted={accepted.length > 0}
            />
          </div>
        </div>
      </>
    );
  }

  return (
    <>
      <p className="nhsuk-u-margin-bottom-3">
        <Link to={`/apprenticeships/${apprenticeshipId}`}>Back to progress</Link>
      </p>
      <PageHeading title={`${code}${ksb ? ` (${KSB_KIND_LABELS[ksb.kind]})` : ''}`} caption={apprenticeship.data ? nameOf(apprenticeship.data.apprentice) : 'KSB'} />
      {body}
    </>
  );
}
