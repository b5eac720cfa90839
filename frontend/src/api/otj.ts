/** Off-the-job training: entries, their review by the provider, and time against the plan. */
import { api, body, creating } from './client';
import type { OtjEntry, OtjEntryInput, OtjQueueItem, OtjSummary, OtjStatus, Page, PageQuery, QueueQuery } from './types';

export function listOtj(apprenticeshipId: string, query: PageQuery & { status?: OtjStatus } = {}): Promise<Page<OtjEntry>> {
  return body(api.GET('/api/v1/apprenticeships/{id}/otj', { params: { path: { id: apprenticeshipId }, query } }));
}

export function createOtj(apprenticeshipId: string, entry: OtjEntryInput): Promise<OtjEntry> {
  return body(api.POST('/api/v1/apprenticeships/{id}/otj', { params: creating({ id: apprenticeshipId }), body: entry }));
}

export function reviewOtj(entryId: string, decision: { decision: 'approved' | 'rejected'; reason?: string }): Promise<OtjEntry> {
  return body(api.POST('/api/v1/otj/{entry_id}/review', { params: { path: { entry_id: entryId } }, body: decision }));
}

export function getOtjSummary(apprenticeshipId: string): Promise<OtjSummary> {
  return body(api.GET('/api/v1/apprenticeships/{id}/otj/summary', { params: { path: { id: apprenticeshipId } } }));
}

/** Entries waiting for the provider's decision across the caller's apprentices; 403 for employers and apprentices. */
export function getOtjQueue(query: QueueQuery = {}): Promise<Page<OtjQueueItem>> {
  return body(api.GET('/api/v1/otj-queue', { params: { query } }));
}
