/** Off-the-job training: entries, their review by the provider, and time against the plan. */
import { request } from './client';
import type { OtjEntry, OtjEntryInput, OtjQueueItem, OtjSummary, OtjStatus, Page, PageQuery, QueueQuery } from './types';

const id = encodeURIComponent;

export function listOtj(apprenticeshipId: string, query: PageQuery & { status?: OtjStatus } = {}): Promise<Page<OtjEntry>> {
  return request<Page<OtjEntry>>(`/apprenticeships/${id(apprenticeshipId)}/otj`, { query: { ...query } });
}

export function createOtj(apprenticeshipId: string, body: OtjEntryInput): Promise<OtjEntry> {
  return request<OtjEntry>(`/apprenticeships/${id(apprenticeshipId)}/otj`, { method: 'POST', body });
}

export function reviewOtj(entryId: string, body: { decision: 'approved' | 'rejected'; reason?: string }): Promise<OtjEntry> {
  return request<OtjEntry>(`/otj/${id(entryId)}/review`, { method: 'POST', body });
}

export function getOtjSummary(apprenticeshipId: string): Promise<OtjSummary> {
  return request<OtjSummary>(`/apprenticeships/${id(apprenticeshipId)}/otj/summary`);
}

/** Entries waiting for the provider's decision across the caller's apprentices; 403 for employers and apprentices. */
export function getOtjQueue(query: QueueQuery = {}): Promise<Page<OtjQueueItem>> {
  return request<Page<OtjQueueItem>>('/otj-queue', { query: { ...query } });
}
