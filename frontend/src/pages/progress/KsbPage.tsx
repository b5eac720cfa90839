/**
 * One KSB of one apprenticeship: its text, the duties that list it, the evidence for it, and its
 * sign-off. The employer (workplace mentor) signs off or revokes here, with the accepted
 * evidence shown beside the form.
 */
import { Link, useParams } from 'react-router';
import type { Evidence } from '../../api/types';
import { useUser } from '../../auth/AuthContext';
import { PageHeading } from '../../components/PageHeading';
import { ProvisionalNotice } from '../../components/ProvisionalNotice';
import { EmptyState, ErrorState, Loading } from '../../components/QueryState';
import { EvidenceStatusTag, KsbStatusTag } from '../../components/Tags';
import { useCoverage, useEvidenceList, useSignoffs, useStandard } from '../../hooks/queries';
import { formatDate, KSB_KIND_LABELS, kindLabel } from '../../lib/format';
import { dutiesOf } from '../../lib/ksbSearch';
import { SignoffPanel } from './SignoffPanel';

function EvidenceTable({ items, caption, showStatus }: { items: Evidence[]; caption: string; showStatus: boolean }) {
  return (
    <div className="app-table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">Title</th>
            <th className="nhsuk-table__header" scope="col">Type</th>
            <th className="nhsuk-table__header" scope="col">Date</th>
            {showStatus && <th className="nhsuk-table__header" scope="col">Status</th>}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {items.map((e) => (
            <tr className="nhsuk-table__row" key={e.id}>
              <td className="nhsuk-table__cell">
                <Link to={`/evidence/${e.id}`}>{e.title}</Link>
              </td>
              <td className="nhsuk-table__cell">{kindLabel(e.kind)}</td>
              <td className="nhsuk-table__cell app-nowrap">{formatDate(e.occurred_on)}</td>
              {showStatus && (
                <td className="nhsuk-table__cell">
                  <EvidenceStatusTag status={e.status} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function KsbPage() {
  const { apprenticeshipId = '', code = '' } = useParams();
  const user = useUser();
  const standard = useStandard();
  const coverage = useCoverage(apprenticeshipId);
  const evidence = useEvidenceList(apprenticeshipId, { ksb: code, limit: 100 });
  const signoffs = useSignoffs(apprenticeshipId);

  const ksb = standard.data?.ksbs.find((k) => k.code === code);
  const failed = standard.error ?? coverage.error ?? evidence.error ?? signoffs.error;
  const ready = standard.data && coverage.data && evidence.data && signoffs.data;

  let body;
  if (failed) {
    body = <ErrorState error={failed} retry={() => void Promise.all([standard.refetch(), coverage.refetch(), evidence.refetch(), signoffs.refetch()])} />;
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
        <p className="nhsuk-body-l">{ksb.text}</p>
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
      <PageHeading title={code} caption={ksb ? KSB_KIND_LABELS[ksb.kind] : 'KSB'} />
      {body}
    </>
  );
}
