/** Admin: training providers and employers. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { createOrganisation } from '../../api/admin';
import type { OrganisationKind } from '../../api/types';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Select, TextInput } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { EmptyState, QueryView } from '../../components/QueryState';
import { invalidate, useOrganisationPage } from '../../hooks/queries';
import { Body, Cell, Head, Row, Table } from '../../components/Table';

const IDS = { name: 'org-name', kind: 'org-kind' };
const KIND_LABEL: Record<OrganisationKind, string> = { provider: 'Training provider', employer: 'Employer' };
const LIMIT = 50;

export default function OrganisationsPage() {
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState('');
  const query = useOrganisationPage({ q: search.trim(), limit: LIMIT, offset });
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<OrganisationKind | ''>('');
  const [local, setLocal] = useState<SummaryItem[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => createOrganisation({ name: name.trim(), kind: kind as OrganisationKind }),
    onSuccess: async (org) => {
      setCreated(`${org.name} added.`);
      setName('');
      setKind('');
      await invalidate.organisations(queryClient);
    },
  });

  function handle(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    const problems: SummaryItem[] = [];
    if (name.trim() === '') problems.push({ href: `#${IDS.name}`, message: 'Enter the organisation name' });
    if (kind === '') problems.push({ href: `#${IDS.kind}`, message: 'Choose the type of organisation' });
    setLocal(problems);
    if (problems.length === 0) create.mutate();
  }
  const local_ = (id: string) => local.find((i) => i.href === `#${id}`)?.message;

  // The add form sits above the list, folded until wanted; it stays open while in use.
  const [addOpen, setAddOpen] = useState(false);

  return (
    <>
      {local.length > 0 ? <ErrorSummary items={local} /> : <ErrorSummary error={create.error} fieldIds={IDS} />}
      <PageHeading title="Organisations" />
      {created && (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{created}</p>
        </div>
      )}
      <details className="nhsuk-details" open={addOpen} onToggle={(e) => setAddOpen(e.currentTarget.open)}>
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">Add an organisation</span>
        </summary>
        <div className="nhsuk-details__text">
          <form onSubmit={handle} noValidate>
            <TextInput id={IDS.name} name="name" label="Name" value={name} onChange={(e) => setName(e.target.value)} error={local_(IDS.name) ?? fieldError(create.error, 'name')} />
            <Select
              id={IDS.kind}
              name="kind"
              label="Type"
              value={kind}
              onChange={(e) => setKind(e.target.value as OrganisationKind | '')}
              options={[{ value: '', label: 'Choose a type' }, { value: 'provider', label: 'Training provider' }, { value: 'employer', label: 'Employer' }]}
              error={local_(IDS.kind) ?? fieldError(create.error, 'kind')}
            />
            <button className="nhsuk-button" type="submit" disabled={create.isPending}>
              Add organisation
            </button>
          </form>
        </div>
      </details>
      <div className="app-filters">
        <TextInput id="filter-search" label="Search by name" value={search} onChange={(e) => { setSearch(e.target.value); setOffset(0); }} spellCheck={false} />
      </div>
      <QueryView query={query} label="Loading organisations">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>{search.trim() === '' ? 'No organisations yet.' : 'No organisations match.'}</EmptyState>
          ) : (
            <>
              <Table scroll captionId="orgs-caption" testId="organisations" caption={<>{page.total} organisation{page.total === 1 ? '' : 's'}</>}>
                <Head columns={['Name', 'Type']} />
                <Body>
                  {page.items.map((o) => (
                    <Row key={o.id}>
                      <Cell>{o.name}</Cell>
                      <Cell>{KIND_LABEL[o.kind]}</Cell>
                    </Row>
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
