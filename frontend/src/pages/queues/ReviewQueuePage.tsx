/**
 * Provider: submitted evidence waiting for review, oldest first. Scope and page live in the URL,
 * so "Back to review queue" and a decision's return land where the reviewer was.
 */
import type { ListScope } from '../../api/types';
import { Link, useSearchParams } from 'react-router';
import { useUser } from '../../auth/AuthContext';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { ScopeSwitch } from '../../components/ScopeSwitch';
import { EmptyState, QueryView } from '../../components/QueryState';
import { useReviewQueue } from '../../hooks/queries';
import { formatDateTime, kindLabel } from '../../lib/format';
import { Flash } from './Flash';
import { REVIEW_QUEUE_LIMIT as LIMIT, reviewLink } from './reviewLinks';
import { Body, Cell, Head, Row, Table } from '../../components/Table';


export default function ReviewQueuePage() {
  const [params, setParams] = useSearchParams();
  const scope: ListScope = params.get('scope') === 'organisation' ? 'organisation' : 'mine';
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  const show = (next: ListScope, nextOffset: number) =>
    setParams(nextOffset > 0 ? { scope: next, offset: String(nextOffset) } : { scope: next });
  const query = useReviewQueue({ scope, limit: LIMIT, offset });
  // Administrators see the queue but only the provider's staff may review (the server answers
  // 403), so for them each row opens the evidence instead.
  const canReview = useUser().role === 'provider';
  return (
    <>
      <Flash />
      <PageHeading title="Review queue" />
      <p>Submitted evidence waiting for {canReview ? 'your review' : 'review by the training provider'}, oldest first.</p>
      {canReview && (
        <ScopeSwitch
          id="review-scope"
          value={scope}
          onChange={(s) => show(s, 0)}
          mineLabel="My apprentices"
          organisationLabel="Everyone at my provider (cover)"
        />
      )}
      <QueryView query={query} label="Loading the review queue">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>{canReview && scope === 'mine' ? 'Nothing of your apprentices is waiting for review.' : 'Nothing is waiting for review.'}</EmptyState>
          ) : (
            <>
              <Table scroll captionId="review-queue-caption" testId="review-queue" caption={<>{canReview ? `${page.total} waiting: ${scope === 'mine' ? 'from your apprentices' : 'across your provider'}` : `${page.total} waiting`}</>}>
                <Head columns={['Submitted', 'Apprentice', 'Evidence', 'Type', 'KSBs']} />
                <Body>
                  {page.items.map((item, index) => (
                    <Row key={item.evidence_id}>
                      <Cell>{formatDateTime(item.submitted_at)}</Cell>
                      <Cell>
                        <Link to={`/apprenticeships/${item.apprenticeship_id}`}>{item.apprentice.name}</Link>
                      </Cell>
                      <Cell>
                        {canReview ? (
                          <Link to={reviewLink(item.evidence_id, scope, page.offset + index)}>Review: {item.title}</Link>
                        ) : (
                          <Link to={`/evidence/${item.evidence_id}`}>{item.title}</Link>
                        )}
                      </Cell>
                      <Cell>{kindLabel(item.kind)}</Cell>
                      <Cell>{item.ksbs.join(', ')}</Cell>
                    </Row>
                  ))}
                </Body>
              </Table>
              <Pagination total={page.total} limit={page.limit || LIMIT} offset={page.offset} onChange={(o) => show(scope, o)} />
            </>
          )
        }
      </QueryView>
    </>
  );
}
