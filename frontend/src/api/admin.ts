/** Organisations (admin and provider staff) and users (admin; others see their own scope). */
import { request, requestAll } from './client';
import type { ApprenticeshipImport, NewOrganisation, NewUser, Organisation, OrganisationKind, Page, PageQuery, PasswordLink, Role, User, UserImport } from './types';

/** Every organisation, optionally of one kind (a short list: the pickers need all of it). */
export function listOrganisations(kind?: OrganisationKind): Promise<Page<Organisation>> {
  return requestAll<Organisation>('/organisations', { kind });
}

export function createOrganisation(body: NewOrganisation): Promise<Organisation> {
  return request<Organisation>('/organisations', { method: 'POST', body });
}

export interface UserFilters extends PageQuery {
  role?: Role | '';
  organisation_id?: string;
  /** part of the name or e-mail address */
  q?: string;
}

export function listUsers(query: UserFilters = {}): Promise<Page<User>> {
  return request<Page<User>>('/users', { query: { ...query } });
}

/** Every user matching the filters, page after page (for the enrolment pickers). */
export function listAllUsers(filters: Omit<UserFilters, 'limit' | 'offset'> = {}): Promise<Page<User>> {
  return requestAll<User>('/users', { ...filters });
}

export function createUser(body: NewUser): Promise<User> {
  return request<User>('/users', { method: 'POST', body });
}

/** PATCH active: true. An administrator's deactivation is undone by an administrator only. */
export function reactivateUser(userId: string): Promise<User> {
  return request<User>(`/users/${encodeURIComponent(userId)}`, {
    method: 'PATCH',
    body: { active: true },
  });
}

export function deactivateUser(userId: string): Promise<User> {
  return request<User>(`/users/${encodeURIComponent(userId)}`, {
    method: 'PATCH',
    body: { active: false },
  });
}

/** POST /users/{id}/password-link → 201 {path, expires_at}, shown once (admins only). */
export function createPasswordLink(userId: string): Promise<PasswordLink> {
  return request<PasswordLink>(`/users/${encodeURIComponent(userId)}/password-link`, { method: 'POST' });
}


/** POST /imports/users (text/csv) → 201; 422 names every bad line; nothing written then. */
export function importUsers(file: Blob): Promise<UserImport> {
  return request<UserImport>('/imports/users', { method: 'POST', body: file, headers: { 'Content-Type': 'text/csv' } });
}

/** POST /imports/apprenticeships (text/csv) → 201; 422 names every bad line; nothing written then. */
export function importApprenticeships(file: Blob): Promise<ApprenticeshipImport> {
  return request<ApprenticeshipImport>('/imports/apprenticeships', { method: 'POST', body: file, headers: { 'Content-Type': 'text/csv' } });
}
