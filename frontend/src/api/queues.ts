/**
 * Work queues: review (provider staff, admin), sign-off (employer, admin), caseload (everyone,
 * scoped), and the inbox (everything waiting for the caller, oldest first).
 */
import { request, requestAll } from './client';
import type { CaseloadItem, CaseloadQuery, InboxItem, Page, PageQuery, QueueQuery, ReviewQueueItem, SignoffQueueItem } from './types';

/** What waits for the caller across their own apprenticeships; empty for administrators. */
export function getInbox(query: PageQuery = {}): Promise<Page<InboxItem>> {
  return request<Page<InboxItem>>('/inbox', { query: { ...query } });
}

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
