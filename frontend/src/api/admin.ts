/** Organisations (admin and provider staff) and users (admin; others see their own scope). */
import { api, body, fetchAll } from './client';
import type { ApprenticeshipImport, NewOrganisation, NewUser, Organisation, OrganisationKind, Page, PageQuery, PasswordLinkSent, Role, SearchQuery, User, UserImport } from './types';

/** Every organisation, optionally of one kind (a short list: the pickers need all of it). */
export function listOrganisations(kind?: OrganisationKind): Promise<Page<Organisation>> {
  return fetchAll((page) => body(api.GET('/api/v1/organisations', { params: { query: { kind, ...page } } })));
}

/** One page of organisations by name; `q` matches part of the name (the admin list). */
export function listOrganisationPage({ q, ...page }: SearchQuery): Promise<Page<Organisation>> {
  return body(api.GET('/api/v1/organisations', { params: { query: { ...page, q: q === '' ? undefined : q } } }));
}

export function createOrganisation(organisation: NewOrganisation): Promise<Organisation> {
  return body(api.POST('/api/v1/organisations', { body: organisation }));
}

export interface UserFilters extends PageQuery {
  role?: Role | '';
  organisation_id?: string;
  /** part of the name or e-mail address */
  q?: string;
}

function userQuery({ role, ...rest }: UserFilters) {
  return { ...rest, role: role === '' ? undefined : role };
}

export function listUsers(query: UserFilters = {}): Promise<Page<User>> {
  return body(api.GET('/api/v1/users', { params: { query: userQuery(query) } }));
}

/** Every user matching the filters, page after page (for the enrolment pickers). */
export function listAllUsers(filters: Omit<UserFilters, 'limit' | 'offset'> = {}): Promise<Page<User>> {
  return fetchAll((page) => listUsers({ ...filters, ...page }));
}

export function createUser(user: NewUser): Promise<User> {
  return body(api.POST('/api/v1/users', { body: user }));
}

function setActive(userId: string, active: boolean): Promise<User> {
  return body(api.PATCH('/api/v1/users/{id}', { params: { path: { id: userId } }, body: { active } }));
}

/** PATCH active: true. An administrator's deactivation is undone by an administrator only. */
export function reactivateUser(userId: string): Promise<User> {
  return setActive(userId, true);
}

export function deactivateUser(userId: string): Promise<User> {
  return setActive(userId, false);
}

/** POST /users/{id}/password-link → 202 {email, valid_hours}: the link goes to the person's own e-mail, never to the caller (admins only). */
export function sendPasswordLink(userId: string): Promise<PasswordLinkSent> {
  return body(api.POST('/api/v1/users/{id}/password-link', { params: { path: { id: userId } } }));
}

/** A CSV file as the text the document says the import takes, sent as it is. */
function csv(text: string) {
  return { body: text, headers: { 'Content-Type': 'text/csv' }, bodySerializer: (b: string) => b };
}

/** POST /imports/users (text/csv) → 201; 422 names every bad line; nothing written then. */
export async function importUsers(file: Blob): Promise<UserImport> {
  return body(api.POST('/api/v1/imports/users', csv(await file.text())));
}

/** POST /imports/apprenticeships (text/csv) → 201; 422 names every bad line; nothing written then. */
export async function importApprenticeships(file: Blob): Promise<ApprenticeshipImport> {
  return body(api.POST('/api/v1/imports/apprenticeships', csv(await file.text())));
}
