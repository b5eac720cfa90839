/** Organisations and users (admin only on the server). */
import { request } from './client';
import type { NewOrganisation, NewUser, Organisation, Page, PageQuery, Role, User } from './types';

export function listOrganisations(query: PageQuery = {}): Promise<Page<Organisation>> {
  return request<Page<Organisation>>('/organisations', { query: { ...query } });
}

export function createOrganisation(body: NewOrganisation): Promise<Organisation> {
  return request<Organisation>('/organisations', { method: 'POST', body });
}

export interface UserFilters extends PageQuery {
  role?: Role | '';
  organisation_id?: string;
}

export function listUsers(query: UserFilters = {}): Promise<Page<User>> {
  return request<Page<User>>('/users', { query: { ...query } });
}

export function createUser(body: NewUser): Promise<User> {
  return request<User>('/users', { method: 'POST', body });
}

export function deactivateUser(userId: string): Promise<User> {
  return request<User>(`/users/${encodeURIComponent(userId)}`, {
    method: 'PATCH',
    body: { active: false },
  });
}
