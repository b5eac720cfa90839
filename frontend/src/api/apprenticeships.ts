/** Apprenticeships, their coverage and sign-offs. */
import { api, body, creating, ifMatch, versioned } from './client';
import { uploadWithProgress, type UploadProgress } from './upload';
import type { Apprenticeship, ApprenticeshipUpdate, BulkSignoff, BulkSignoffInput, Coverage, ItemList, NewApprenticeship, Page, SearchQuery, Signoff } from './types';

/** A page of the apprenticeships in scope; `q` matches the apprentice's name or e-mail and the employer's or provider's name. */
export function listApprenticeships({ q, ...page }: SearchQuery = {}): Promise<Page<Apprenticeship>> {
  return body(api.GET('/api/v1/apprenticeships', { params: { query: { ...page, q: q === '' ? undefined : q } } }));
}

export function getApprenticeship(apprenticeshipId: string): Promise<Apprenticeship> {
  return body(api.GET('/api/v1/apprenticeships/{id}', { params: { path: { id: apprenticeshipId } } }));
}

/** An apprenticeship plus the ETag the server sent, needed for If-Match on PATCH. */
export interface ApprenticeshipWithEtag {
  apprenticeship: Apprenticeship;
  etag: string;
}

async function withEtag(pending: ReturnType<typeof versioned<Apprenticeship>>): Promise<ApprenticeshipWithEtag> {
  const { data, etag } = await pending;
  return { apprenticeship: data, etag };
}

/** The apprenticeship with its ETag, for the form that changes it. */
export function getApprenticeshipForChange(apprenticeshipId: string): Promise<ApprenticeshipWithEtag> {
  return withEtag(versioned(api.GET('/api/v1/apprenticeships/{id}', { params: { path: { id: apprenticeshipId } } })));
}

/**
 * Changes the mentor, the tutor, the expected end date or the off-the-job plan (fields left out
 * keep their value). 412 when someone changed it since it was loaded; 422 names each field
 * (a plan below the floor says the floor and why).
 */
export function updateApprenticeship(apprenticeshipId: string, etag: string, changes: ApprenticeshipUpdate): Promise<ApprenticeshipWithEtag> {
  return withEtag(versioned(api.PATCH('/api/v1/apprenticeships/{id}', { params: ifMatch({ id: apprenticeshipId }, etag), body: changes })));
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

/** The new apprenticeship's parties and start, sent with the archive. */
export interface PortfolioImport {
  file: File;
  employer_id: string;
  mentor_id: string;
  tutor_id: string;
  start_date: string;
  /** empty: as long after the start as the original apprenticeship ran */
  expected_end_date: string;
}

/**
 * POST /apprenticeships/import (multipart) → 201 the new apprenticeship at the caller's provider,
 * its history carried over; 422 names what is wrong with the archive, and nothing is written.
 */
export function importPortfolio(input: PortfolioImport, onProgress?: (progress: UploadProgress) => void): Promise<Apprenticeship> {
  const form = new FormData();
  form.append('employer_id', input.employer_id);
  form.append('mentor_id', input.mentor_id);
  form.append('tutor_id', input.tutor_id);
  form.append('start_date', input.start_date);
  if (input.expected_end_date !== '') form.append('expected_end_date', input.expected_end_date);
  form.append('file', input.file);
  return uploadWithProgress('/api/v1/apprenticeships/import', {}, form, onProgress);
}
