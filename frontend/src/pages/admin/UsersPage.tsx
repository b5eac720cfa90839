/** Admin: people, their role and organisation; add and deactivate. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { createUser, deactivateUser, reactivateUser, sendPasswordLink } from '../../api/admin';
import { useUser } from '../../auth/AuthContext';
import { ROLES, type Role, type User } from '../../api/types';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Body, Cell, Head, Row, RowHeader, Table } from '../../components/Table';
import { Select, TextInput } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { EmptyState, QueryView } from '../../components/QueryState';
import { invalidate, useOrganisations, useUsers } from '../../hooks/queries';
import { ROLE_LABELS } from '../../lib/format';

const IDS = { email: 'user-email', name: 'user-name', role: 'user-role', organisation_id: 'user-organisation', password: 'user-password' };
const LIMIT = 50;
const EMPTY = { email: '', name: '', role: '' as Role | '', organisation_id: '', password: '' };

export default function UsersPage() {
  const [roleFilter, setRoleFilter] = useState<Role | ''>('');
  const [orgFilter, setOrgFilter] = useState('');
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState('');
  const query = useUsers({ role: roleFilter, organisation_id: orgFilter, q: search.trim(), limit: LIMIT, offset });
  const orgs = useOrganisations();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  // The add form sits above the long list, folded until wanted; it stays open while in use.
  const [addOpen, setAddOpen] = useState(false);
  const [local, setLocal] = useState<SummaryItem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  // The server's rule (domain::policy::create_user): training provider staff create apprentice
  // accounts only; administrators create every role, mentors included.
  const creatable: readonly Role[] = useUser().role === 'admin' ? ROLES : ['apprentice'];
  const orgOptions = (orgs.data?.items ?? []).map((o) => ({ value: o.id, label: `${o.name} (${o.kind})` }));
  const orgName = (id: string | null | undefined) => orgs.data?.items.find((o) => o.id === id)?.name ?? (id == null ? 'None' : 'Unknown');

  const create = useMutation({
    mutationFn: () =>
      createUser({
        email: form.email.trim(),
        name: form.name.trim(),
        role: form.role as Role,
        organisation_id: form.organisation_id === '' ? null : form.organisation_id,
        password: form.password,
      }),
    onSuccess: async (user) => {
      setNotice(`${user.name} added.`);
      setForm(EMPTY);
      await invalidate.users(queryClient);
    },
  });
  // Deactivation asks first (the person is signed out everywhere at once) and can be undone.
  const [confirming, setConfirming] = useState<User | null>(null);
  const [undoable, setUndoable] = useState<User | null>(null);
  const deactivate = useMutation({
    mutationFn: (id: string) => deactivateUser(id),
    onSuccess: async (user) => {
      setConfirming(null);
      setUndoable(user);
      setNotice(`${user.name} can no longer sign in, and has been signed out everywhere.`);
      await invalidate.users(queryClient);
    },
  });
  const reactivate = useMutation({
    mutationFn: (id: string) => reactivateUser(id),
    onSuccess: async (user) => {
      setUndoable(null);
      setNotice(`${user.name} can sign in again (with a new sign-in).`);
      await invalidate.users(queryClient);
    },
  });
  // The link goes to the person's own address; the server never shows it to whoever asked.
  const [passwordLink, setPasswordLink] = useState<{ name: string; email: string; hours: number } | null>(null);
  const makeLink = useMutation({
    mutationFn: (user: { id: string; name: string }) => sendPasswordLink(user.id).then((sent) => ({ sent, user })),
    onSuccess: ({ sent, user }) => {
      setNotice(null);
      setUndoable(null);
      setPasswordLink({ name: user.name, email: sent.email, hours: sent.valid_hours });
    },
  });

  function handle(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(null);
    const problems: SummaryItem[] = [];
    if (form.name.trim() === '') problems.push({ href: `#${IDS.name}`, message: 'Enter the full name' });
    if (!/^[^\s@]+@[^\s@]+$/.test(form.email.trim())) problems.push({ href: `#${IDS.email}`, message: 'Enter an email address like name@nhs.net' });
    if (form.role === '') problems.push({ href: `#${IDS.role}`, message: 'Choose a role' });
    if (form.role !== '' && form.role !== 'admin' && form.organisation_id === '') {
      problems.push({ href: `#${IDS.organisation_id}`, message: 'Choose the organisation this person belongs to' });
    }
    if (form.password.length < 12) problems.push({ href: `#${IDS.password}`, message: 'Enter a password of at least 12 characters' });
    else if (form.password.length > 256) problems.push({ href: `#${IDS.password}`, message: 'Enter a password of 256 characters or fewer' });
    setLocal(problems);
    if (problems.length === 0) create.mutate();
  }
  const err = (field: keyof typeof IDS) => local.find((i) => i.href === `#${IDS[field]}`)?.message ?? fieldError(create.error, field);

  return (
    <>
      {local.length > 0 ? <ErrorSummary items={local} /> : <ErrorSummary error={create.error ?? deactivate.error ?? reactivate.error ?? makeLink.error} fieldIds={IDS} fieldLabels={{ organisation_id: 'Organisation' }} />}
      <PageHeading title="Users" />
      {passwordLink && (
        <div className="nhsuk-inset-text" role="status" data-testid="password-link">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p className="app-break">A link to set a password was e-mailed to {passwordLink.email}.</p>
          <p>
            It works once, for {passwordLink.hours} hours, and only {passwordLink.name} can open it. Sending another link replaces this one.
          </p>
        </div>
      )}
      {notice && (
        <div className="nhsuk-inset-text" role="status" data-testid="users-notice">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{notice}</p>
          {undoable && (
            <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" onClick={() => reactivate.mutate(undoable.id)} disabled={reactivate.isPending}>
              Undo: reactivate {undoable.name}
            </button>
          )}
        </div>
      )}
      {confirming && (
        <div className="nhsuk-warning-callout" data-testid="confirm-deactivation">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Deactivate {confirming.name}?
            </span>
          </h2>
          <p>They are signed out everywhere at once and cannot sign in until an administrator reactivates them. Their portfolio is kept.</p>
          <div className="app-inline-actions">
            <button type="button" className="nhsuk-button nhsuk-button--warning nhsuk-u-margin-bottom-0" onClick={() => deactivate.mutate(confirming.id)} disabled={deactivate.isPending}>
              Yes, deactivate {confirming.name}
            </button>
            <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <details className="nhsuk-details" open={addOpen} onToggle={(e) => setAddOpen(e.currentTarget.open)}>
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">Add a user</span>
        </summary>
        <div className="nhsuk-details__text">
<form onSubmit={handle} noValidate>
            <TextInput id={IDS.name} name="name" label="Full name" autoComplete="off" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={err('name')} />
            <TextInput id={IDS.email} name="email" label="Email address" type="email" autoComplete="off" spellCheck={false} value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} error={err('email')} />
            <Select id={IDS.role} name="role" label="Role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role | '' })} options={[{ value: '', label: 'Choose a role' }, ...creatable.map((r) => ({ value: r, label: ROLE_LABELS[r] }))]} error={err('role')} />
            <Select id={IDS.organisation_id} name="organisation_id" label="Organisation" hint="Apprentices and mentors belong to an employer; tutors to a training provider." value={form.organisation_id} onChange={(e) => setForm({ ...form, organisation_id: e.target.value })} options={[{ value: '', label: 'None (administrators only)' }, ...orgOptions]} error={err('organisation_id')} />
            <TextInput id={IDS.password} name="password" label="Initial password" type="password" autoComplete="new-password" hint="12 to 256 characters. Give it to the person securely." value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} error={err('password')} />
            <button className="nhsuk-button" type="submit" disabled={create.isPending}>
              Add user
            </button>
          </form>
        </div>
      </details>
      <div className="app-filters">
        <TextInput id="filter-search" label="Name or email" value={search} onChange={(e) => { setSearch(e.target.value); setOffset(0); }} spellCheck={false} />
        <Select id="filter-role" label="Role" value={roleFilter} onChange={(e) => { setRoleFilter(e.target.value as Role | ''); setOffset(0); }} options={[{ value: '', label: 'All roles' }, ...ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))]} />
        <Select id="filter-organisation" label="Organisation" value={orgFilter} onChange={(e) => { setOrgFilter(e.target.value); setOffset(0); }} options={[{ value: '', label: 'All organisations' }, ...orgOptions]} />
      </div>
      <QueryView query={query} label="Loading users">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>No users match.</EmptyState>
          ) : (
            <>
              <Table responsive testId="users" captionId="users-caption" caption={`${page.total} user${page.total === 1 ? '' : 's'}`}>
                <Head columns={['Name', 'Email', 'Role', 'Organisation', 'Access']} />
                <Body>
                  {page.items.map((u) => (
                    <Row key={u.id}>
                    <RowHeader heading="Name">{u.name}</RowHeader>
                    <Cell heading="Email" className="app-break">{u.email}</Cell>
                    <Cell heading="Role">{ROLE_LABELS[u.role]}</Cell>
                    <Cell heading="Organisation">{orgName(u.organisation_id)}</Cell>
                    <Cell heading="Access">
                          {!u.active ? (
                            <>
                              Deactivated{' '}
                              <button type="button" className="app-button-as-link" onClick={() => reactivate.mutate(u.id)} disabled={reactivate.isPending}>
                                Reactivate<span className="nhsuk-u-visually-hidden"> {u.name}</span>
                              </button>
                            </>
                          ) : (
                            <>
                              <button type="button" className="app-button-as-link" onClick={() => { setNotice(null); setConfirming(u); }}>
                                Deactivate<span className="nhsuk-u-visually-hidden"> {u.name}</span>
                              </button>{' '}
                              <button type="button" className="app-button-as-link" onClick={() => makeLink.mutate({ id: u.id, name: u.name })} disabled={makeLink.isPending}>
                                Email a password link<span className="nhsuk-u-visually-hidden"> to {u.name}</span>
                              </button>
                            </>
                          )}
                        </Cell>
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
