/**
 * Provider: off-the-job time waiting for approval across the tutor's apprentices (or the whole
 * provider), longest waiting first, approved or rejected in the row. Administrators see the
 * queue; only the provider's staff decide (the server answers 403 to anyone else).
 */
import { useState } from 'react';
import { Link } from 'react-router';
import type { ListScope } from '../../api/types';
import { useUser } from '../../auth/AuthContext';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { ScopeSwitch } from '../../components/ScopeSwitch';
import { EmptyState, QueryView } from '../../components/QueryState';
import { useOtjQueue } from '../../hooks/queries';
import { formatDate, formatDateTime } from '../../lib/format';
import { ACTIVITY_LABELS, formatMinutes } from '../../lib/otj';
import { OtjDecision } from '../otj/OtjDecision';
import { Body, Cell, Head, Row, Table } from '../../components/Table';

const LIMIT = 25;

export default function OtjQueuePage() {
  const [offset, setOffset] = useState(0);
  const [scope, setScope] = useState<ListScope>('mine');
  const [done, setDone] = useState<string | null>(null);
  const query = useOtjQueue({ scope, limit: LIMIT, offset });
  const canDecide = useUser().role === 'provider';
  return (
    <>
      <PageHeading title="Off-the-job queue" />
      <p>Off-the-job training waiting for {canDecide ? 'your approval' : 'approval by the training provider'}, longest waiting first.</p>
      {done && (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{done}</p>
        </div>
      )}
      {canDecide && (
        <ScopeSwitch
          id="otj-queue-scope"
          value={scope}
          onChange={(s) => {
            setScope(s);
            setOffset(0);
          }}
          mineLabel="My apprentices"
          organisationLabel="Everyone at my provider (cover)"
        />
      )}
      <QueryView query={query} label="Loading the off-the-job queue">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>{canDecide && scope === 'mine' ? 'No off-the-job time of your apprentices is waiting for approval.' : 'No off-the-job time is waiting for approval.'}</EmptyState>
          ) : (
            <>
              <Table scroll captionId="otj-queue-caption" testId="otj-queue" caption={<>{page.total} {page.total === 1 ? 'entry' : 'entries'} waiting{canDecide ? (scope === 'mine' ? ': from your apprentices' : ': across your provider') : ''}</>}>
                <Head columns={['Apprentice', 'Date', 'Time', 'Training', canDecide && 'Decision']} />
                <Body>
                  {page.items.map((item) => {
                    const what = `${formatMinutes(item.minutes)} on ${formatDate(item.occurred_on)} by ${item.apprentice.name}`;
                    return (
                      <Row key={item.entry_id}>
                        <Cell>
                          <Link to={`/apprenticeships/${item.apprenticeship_id}/otj`}>{item.apprentice.name}</Link>
                          <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">Logged {formatDateTime(item.created_at)}</p>
                        </Cell>
                        <Cell className="app-nowrap">{formatDate(item.occurred_on)}</Cell>
                        <Cell className="app-nowrap">{formatMinutes(item.minutes)}</Cell>
                        <Cell>
                          {ACTIVITY_LABELS[item.activity]}: {item.description}
                        </Cell>
                        {canDecide && (
                          <Cell>
                            <OtjDecision
                              entry={{ id: item.entry_id, minutes: item.minutes, occurred_on: item.occurred_on }}
                              apprenticeshipId={item.apprenticeship_id}
                              what={what}
                              onDone={(decision) => setDone(`${decision === 'approved' ? 'Approved' : 'Rejected'}: ${what}.`)}
                            />
                          </Cell>
                        )}
                      </Row>
                    );
                  })}
                </Body>
              </Table>
              <Pagination total={page.total} limit={page.limit || LIMIT} offset={page.offset} onChange={setOffset} />
            </>
          )
        }
      </QueryView>
    </>
  );
}
