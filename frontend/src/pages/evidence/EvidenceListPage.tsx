/** Evidence of one apprenticeship, filterable by status, KSB and type (kept in the URL). */
import { useState, type SubmitEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { EVIDENCE_KINDS, EVIDENCE_STATUSES, type EvidenceKind, type EvidenceStatus } from '../../api/types';
import { useUser } from '../../auth/AuthContext';
import { Select, TextInput } from '../../components/Fields';
import { Body, Cell, Head, Row, RowHeader, Table } from '../../components/Table';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { EmptyState, QueryView } from '../../components/QueryState';
import { EvidenceStatusTag } from '../../components/Tags';
import { useEvidenceList } from '../../hooks/queries';
import { EVIDENCE_STATUS_LABELS, formatDate, KIND_LABELS } from '../../lib/format';
import { normaliseCode } from '../../lib/ksbSearch';

const LIMIT = 25;

export default function EvidenceListPage() {
  const { apprenticeshipId = '' } = useParams();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? '') as EvidenceStatus | '';
  const kind = (params.get('kind') ?? '') as EvidenceKind | '';
  const ksb = params.get('ksb') ?? '';
  const offset = Number(params.get('offset') ?? '0') || 0;
  const [draft, setDraft] = useState({ status, kind, ksb });
  const query = useEvidenceList(apprenticeshipId, { status, kind, ksb, limit: LIMIT, offset });
  const own = user.role === 'apprentice';

  function apply(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.status) next.set('status', draft.status);
    if (draft.kind) next.set('kind', draft.kind);
    if (draft.ksb.trim()) next.set('ksb', normaliseCode(draft.ksb));
    setParams(next);
  }

  function page(nextOffset: number) {
    const next = new URLSearchParams(params);
    next.set('offset', String(nextOffset));
    setParams(next);
  }

  const filtered = status !== '' || kind !== '' || ksb !== '';

  return (
    <>
      <p className="nhsuk-u-margin-bottom-3">
        <Link to={`/apprenticeships/${apprenticeshipId}`}>Back to progress</Link>
      </p>
      <PageHeading title={own ? 'My evidence' : 'Evidence'} />
      {own && (
        <Link className="nhsuk-button" to={`/apprenticeships/${apprenticeshipId}/evidence/new`}>
          Add evidence
        </Link>
      )}
      <form onSubmit={apply} className="app-filters" aria-label="Filter evidence">
        <Select
          id="filter-status"
          label="Status"
          value={draft.status}
          onChange={(e) => setDraft({ ...draft, status: e.target.value as EvidenceStatus | '' })}
          options={[{ value: '', label: 'Any status' }, ...EVIDENCE_STATUSES.map((s) => ({ value: s, label: EVIDENCE_STATUS_LABELS[s] }))]}
        />
        <Select
          id="filter-kind"
          label="Type"
          value={draft.kind}
          onChange={(e) => setDraft({ ...draft, kind: e.target.value as EvidenceKind | '' })}
          options={[{ value: '', label: 'Any type' }, ...EVIDENCE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))]}
        />
        <TextInput
          id="filter-ksb"
          label="KSB code"
          className="nhsuk-input--width-5"
          value={draft.ksb}
          onChange={(e) => setDraft({ ...draft, ksb: e.target.value })}
        />
        <div className="nhsuk-form-group">
          <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
            Apply filters
          </button>
        </div>
      </form>
      <QueryView query={query} label="Loading evidence">
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState>{filtered ? 'No evidence matches these filters.' : 'No evidence has been added yet.'}</EmptyState>
          ) : (
            <>
              <Table responsive testId="evidence-table" captionId="evidence-caption" caption={`${data.total} piece${data.total === 1 ? '' : 's'} of evidence`}>
                <Head columns={['Title', 'Type', 'KSBs', 'Date', 'Status']} />
                <Body>
                  {data.items.map((e) => (
                    <Row key={e.id}>
                    <RowHeader heading="Title">
                          <Link to={`/evidence/${e.id}`}>{e.title}</Link>
                        </RowHeader>
                    <Cell heading="Type">{KIND_LABELS[e.kind]}</Cell>
                    <Cell heading="KSBs">{e.ksbs.join(', ')}</Cell>
                    <Cell heading="Date" className="app-nowrap">{formatDate(e.occurred_on)}</Cell>
                    <Cell heading="Status">
                          <EvidenceStatusTag status={e.status} />
                        </Cell>
                    </Row>
                  ))}
                </Body>
              </Table>
              <Pagination total={data.total} limit={data.limit || LIMIT} offset={data.offset} onChange={page} />
            </>
          )
        }
      </QueryView>
    </>
  );
}
