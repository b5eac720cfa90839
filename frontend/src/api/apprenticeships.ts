/** Apprenticeships, their coverage and sign-offs. */
import { request } from './client';
import type {
  Apprenticeship,
  BulkSignoff,
  BulkSignoffInput,
  Coverage,
  ItemList,
  NewApprenticeship,
  Page,
  PageQuery,
  Signoff,
} from './types';

const id = encodeURIComponent;

export function listApprenticeships(query: PageQuery = {}): Promise<Page<Apprenticeship>> {
  return request<Page<Apprenticeship>>('/apprenticeships', { query: { ...query } });
}

export function getApprenticeship(apprenticeshipId: string): Promise<Apprenticeship> {
  return request<Apprenticeship>(`/apprenticeships/${id(apprenticeshipId)}`);
}

export function createApprenticeship(body: NewApprenticeship): Promise<Apprenticeship> {
  return request<Apprenticeship>('/apprenticeships', { method: 'POST', body });
}

export function getCoverage(apprenticeshipId: string): Promise<Coverage> {
  return request<Coverage>(`/apprenticeships/${id(apprenticeshipId)}/coverage`);
}

/** Every sign-off of the apprenticeship, revoked ones included (not paged). */
export function listSignoffs(apprenticeshipId: string): Promise<ItemList<Signoff>> {
  return request<ItemList<Signoff>>(`/apprenticeships/${id(apprenticeshipId)}/signoffs`);
}

export function createSignoff(
  apprenticeshipId: string,
  body: { ksb: string; comment?: string },
): Promise<Signoff> {
  return request<Signoff>(`/apprenticeships/${id(apprenticeshipId)}/signoffs`, {
    method: 'POST',
    body,
  });
}

/** Several KSBs at once, all or nothing: a 409 names the KSB that cannot be signed off. */
export function createSignoffs(apprenticeshipId: string, body: BulkSignoffInput): Promise<BulkSignoff> {
  return request<BulkSignoff>(`/apprenticeships/${id(apprenticeshipId)}/signoffs/bulk`, {
    method: 'POST',
    body,
  });
}

export function revokeSignoff(
  apprenticeshipId: string,
  signoffId: string,
  reason: string,
): Promise<Signoff> {
  return request<Signoff>(
    `/apprenticeships/${id(apprenticeshipId)}/signoffs/${id(signoffId)}/revoke`,
    { method: 'POST', body: { reason } },
  );
}
