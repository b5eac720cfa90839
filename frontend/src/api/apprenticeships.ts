/** Apprenticeships, their coverage and sign-offs. */
import { api, body, creating } from './client';
import type { Apprenticeship, BulkSignoff, BulkSignoffInput, Coverage, ItemList, NewApprenticeship, Page, SearchQuery, Signoff } from './types';

/** A page of the apprenticeships in scope; `q` matches the apprentice's name or e-mail and the employer's or provider's name. */
export function listApprenticeships({ q, ...page }: SearchQuery = {}): Promise<Page<Apprenticeship>> {
  return body(api.GET('/api/v1/apprenticeships', { params: { query: { ...page, q: q === '' ? undefined : q } } }));
}

export function getApprenticeship(apprenticeshipId: string): Promise<Apprenticeship> {
  return body(api.GET('/api/v1/apprenticeships/{id}', { params: { path: { id: apprenticeshipId } } }));
}

export function createApprenticeship(apprenticeship: NewApprenticeship): Promise<Apprenticeship> {
  return body(api.POST('/api/v1/apprenticeships', { body: apprenticeship }));
}

export function getCoverage(apprenticeshipId: string): Promise<Coverage> {
  return body(api.GET('/api/v1/apprenticeships/{id}/coverage', { params: { path: { id: apprenticeshipId } } }));
}

/** Every sign-off of the apprenticeship, revoked ones included (not paged). */
export function listSignoffs(apprenticeshipId: string): Promise<ItemList<Signoff>> {
  return body(api.GET('/api/v1/apprenticeships/{id}/signoffs', { params: { path: { id: apprenticeshipId } } }));
}

export function createSignoff(apprenticeshipId: string, signoff: { ksb: string; comment?: string }): Promise<Signoff> {
  return body(api.POST('/api/v1/apprenticeships/{id}/signoffs', { params: { path: { id: apprenticeshipId } }, body: signoff }));
}

/** Several KSBs at once, all or nothing: a 409 names the KSB that cannot be signed off. */
export function createSignoffs(apprenticeshipId: string, signoffs: BulkSignoffInput): Promise<BulkSignoff> {
  return body(api.POST('/api/v1/apprenticeships/{id}/signoffs/bulk', { params: creating({ id: apprenticeshipId }), body: signoffs }));
}

export function revokeSignoff(apprenticeshipId: string, signoffId: string, reason: string): Promise<Signoff> {
  return body(
    api.POST('/api/v1/apprenticeships/{id}/signoffs/{signoff_id}/revoke', {
      params: { path: { id: apprenticeshipId, signoff_id: signoffId } },
      body: { reason },
    }),
  );
}
