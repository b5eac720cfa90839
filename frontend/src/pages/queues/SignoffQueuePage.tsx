/**
 * Employer: KSBs with accepted evidence waiting for workplace sign-off, grouped by apprentice.
 * Each KSB shows its code, its full statement and the accepted evidence behind it (title, type,
 * date, a link), so the mentor knows what they are asked to confirm before opening it.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import type { ListScope, SignoffQueueItem } from '../../api/types';
import { useUser } from '../../auth/AuthContext';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { Body, Cell, ColumnHeader, Head, Row, RowHeader, Table } from '../../components/Table';
import { ScopeSwitch, whose } from '../../components/ScopeSwitch';
import { EmptyState, QueryView } from '../../components/QueryState';
import { useSignoffQueue } from '../../hooks/queries';
import { formatDate, kindLabel } from '../../lib/format';

const LIMIT = 25;

function ApprenticeGroup({ item, canSignOff }: { item: SignoffQueueItem; canSignOff: boolean }) {
  const name = item.apprentice.name;
  const headingId = `signoff-${item.apprenticeship_id}`;
  const count = item.waiting.length;
  return (
    <section className="nhsuk-u-margin-bottom-7" aria-labelledby={headingId} data-apprenticeship={item.apprenticeship_id}>
      <h2 className="nhsuk-heading-m nhsuk-u-margin-bottom-2" id={headingId}>
        {name}
      </h2>
      <p className="nhsuk-body-s">
        {count} KSB{count === 1 ? '' : 's'} waiting. <Link to={`/apprenticeships/${item.apprenticeship_id}`}>See {name}’s portfolio</Link>
      </p>
      <Table responsive caption={<span className="nhsuk-u-visually-hidden">KSBs waiting for sign-off for {name}</span>}>
        <Head>
          <ColumnHeader>KSB</ColumnHeader>
          <ColumnHeader>Statement</ColumnHeader>
          <ColumnHeader>Accepted evidence</ColumnHeader>
          <ColumnHeader>
          <span className="nhsuk-u-visually-hidden">Action</span>
          </ColumnHeader>
        </Head>
        <Body>
          {item.waiting.map((ksb) => (
            <Row key={ksb.code} data-ksb={ksb.code}>
              <RowHeader heading="KSB">{ksb.code}</RowHeader>
              <Cell heading="Statement">{ksb.text}</Cell>
              <Cell heading="Accepted evidence">
                {ksb.evidence.length === 0 ? (
                  'None listed'
                ) : (
                  <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                    {ksb.evidence.map((e) => (
                      <li key={e.id} className="nhsuk-u-margin-bottom-1">
                        <Link to={`/evidence/${e.id}`}>{e.title}</Link>
                        <br />
                        <span className="nhsuk-body-s">
                          {kindLabel(e.kind)}, {formatDate(e.occurred_on)}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </Cell>
              <Cell heading="Action">
                <Link to={`/apprenticeships/${item.apprenticeship_id}/ksbs/${ksb.code}`}>
                  {canSignOff ? `Sign off ${ksb.code}` : `Open ${ksb.code}`}{' '}
                  <span className="nhsuk-u-visually-hidden">for {name}</span>
                </Link>
              </Cell>
            </Row>
          ))}
        </Body>
      </Table>
    </section>
  );
}

export default function SignoffQueuePage() {
  const [offset, setOffset] = useState(0);
  const [scope, setScope] = useState<ListScope>('mine');
  const query = useSignoffQueue({ scope, limit: LIMIT, offset });
  // Administrators see the queue; only the apprenticeship's own mentor may sign off (403 otherwise).
  const canSignOff = useUser().role === 'employer';
  return (
    <>
      <PageHeading title="Sign-off queue" />
      <p>KSBs whose evidence the training provider has accepted, waiting for workplace sign-off. Check the statement and the evidence, then open the KSB to sign it off.</p>
      {canSignOff && (
        <ScopeSwitch
          id="signoff-scope"
          value={scope}
          onChange={(s) => { setScope(s); setOffset(0); }}
          mineLabel="Apprentices I mentor"
          organisationLabel="Everyone at my employer"
        />
      )}
      <QueryView query={query} label="Loading the sign-off queue">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Nothing is waiting for sign-off.</EmptyState>
          ) : (
            <>
              {canSignOff && <p className="nhsuk-body-s">KSBs waiting: {whose(page.total, 'apprentices', scope)}.</p>}
              <div data-testid="signoff-queue">
                {page.items.map((item) => (
                  <ApprenticeGroup key={item.apprenticeship_id} item={item} canSignOff={canSignOff} />
                ))}
              </div>
              <Pagination total={page.total} limit={page.limit || LIMIT} offset={page.offset} onChange={setOffset} />
            </>
          )
        }
      </QueryView>
    </>
  );
}
