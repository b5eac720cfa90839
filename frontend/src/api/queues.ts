/** Work queues: review (provider staff, admin), sign-off (employer, admin), caseload (everyone, scoped). */
import { request, requestAll } from './client';
import type { CaseloadItem, CaseloadQuery, Page, QueueQuery, ReviewQueueItem, SignoffQueueItem } from './types';

/** 403 for employer and apprentice users. */
export function getReviewQueue(query: QueueQuery = {}): Promise<Page<ReviewQueueItem>> {
  return request<Page<ReviewQueueItem>>('/review-queue', { query: { ...query } });
}

/** 403 for provider staff and apprentices. */
export function getSignoffQueue(query: QueueQuery = {}): Promise<Page<SignoffQueueItem>> {
  return request<Page<SignoffQueueItem>>('/signoff-queue', { query: { ...query } });
}

/**
 * The whole caseload in the caller's scope, page after page. A tutor's caseload is tens of
 * apprentices, and the page filters and sorts it in the browser without new requests.
 */
export function getCaseload(query: Omit<CaseloadQuery, 'limit' | 'offset'> = {}): Promise<Page<CaseloadItem>> {
  return requestAll<CaseloadItem>('/caseload', { ...query });
}
