/**
 * Everything waiting for the signed-in person across their own apprentices, longest waiting
 * first: the landing page of mentors and tutors. Every item says what it is, whose it is, how
 * many days it has waited and links to the page that acts on it. A mentor with KSBs ready is
 * pointed at the sign-off queue, where several KSBs of one apprentice are signed off at once.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import type { InboxItem } from '../../api/types';
import { useUser } from '../../auth/AuthContext';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { EmptyState, QueryView } from '../../components/QueryState';
import { Body, Cell, ColumnHeader, Head, Row, RowHeader, Table } from '../../components/Table';
import { useInbox } from '../../hooks/queries';
import { formatDate } from '../../lib/format';
import { INBOX_ACTIONS, INBOX_KIND_LABELS, LONG_WAIT_DAYS, waitingLabel } from '../../lib/inbox';

const LIMIT = 25;

function Waiting({ item }: { item: InboxItem }) {
  const long = item.waiting_days >= LONG_WAIT_DAYS;
  return (
    <>
      <strong data-testid="waiting-days">{waitingLabel(item.waiting_days)}</strong>
      {long && (
        <>
          {' '}
          <strong className="nhsuk-tag nhsuk-tag--orange">Long wait</strong>
        </>
      )}
      <br />
      <span className="nhsuk-body-s">since {formatDate(item.waiting_since)}</span>
    </>
  );
}

function InboxRow({ item }: { item: InboxItem }) {
  const name = item.apprentice.name;
  return (
    <Row data-kind={item.kind}>
      <RowHeader heading="Waiting">
        <Waiting item={item} />
      </RowHeader>
      <Cell heading="What">
        {INBOX_KIND_LABELS[item.kind]}
        <br />
        <Link to={item.link}>
          {INBOX_ACTIONS[item.kind]} {item.subject} <span className="nhsuk-u-visually-hidden">for {name}</span>
        </Link>
      </Cell>
      <Cell heading="Apprentice">
        <Link to={`/apprenticeships/${item.apprenticeship}`}>{name}</Link>
      </Cell>
    </Row>
  );
}

export default function InboxPage() {
  const [offset, setOffset] = useState(0);
  const query = useInbox({ limit: LIMIT, offset });
  const role = useUser().role;
  return (
    <>
      <PageHeading title="Inbox" />
      <p>What is waiting for you across your apprentices, longest waiting first.</p>
      <QueryView query={query} label="Loading your inbox">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>{role === 'admin' ? 'Nothing waits for administrators: items wait for apprentices, mentors and tutors.' : 'Nothing is waiting for you.'}</EmptyState>
          ) : (
            <>
              <p className="nhsuk-body-s" data-testid="inbox-total">
                {page.total} {page.total === 1 ? 'item' : 'items'} waiting for you.
              </p>
              {role === 'employer' && page.items.some((i) => i.kind === 'ksb_ready') && (
                <p>
                  <Link to="/signoff-queue">Sign off several KSBs of one apprentice at once</Link> from the sign-off queue.
                </p>
              )}
              <Table responsive caption="Waiting for you" testId="inbox">
                <Head>
                  <ColumnHeader>Waiting</ColumnHeader>
                  <ColumnHeader>What</ColumnHeader>
                  <ColumnHeader>Apprentice</ColumnHeader>
                </Head>
                <Body>
                  {page.items.map((item) => (
                    <InboxRow key={`${item.kind}:${item.link}:${item.subject}`} item={item} />
                  ))}
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
