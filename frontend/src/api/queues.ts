/**
 * Work queues: review (provider staff, admin), sign-off (employer, admin), caseload (everyone,
 * scoped), and the inbox (everything waiting for the caller, oldest first).
 */
import { api, body, fetchAll } from './client';
import type { CaseloadItem, CaseloadQuery, InboxItem, Page, PageQuery, QueueQuery, ReviewQueueItem, SignoffQueueItem } from './types';

/** What waits for the caller across their own apprenticeships; empty for administrators. */
export function getInbox(query: PageQuery = {}): Promise<Page<InboxItem>> {
  return body(api.GET('/api/v1/inbox', { params: { query } }));
}

/** 403 for employer and apprentice users. */
export function getReviewQueue(query: QueueQuery = {}): Promise<Page<ReviewQueueItem>> {
  return body(api.GET('/api/v1/review-queue', { params: { query } }));
}

/** 403 for provider staff and apprentices. */
export function getSignoffQueue(query: QueueQuery = {}): Promise<Page<SignoffQueueItem>> {
  return body(api.GET('/api/v1/signoff-queue', { params: { query } }));
}

/**
 * The whole caseload in the caller's scope, page after page. A tutor's caseload is tens of
 * apprentices, and the page filters and sorts it in the browser without new requests.
 */
export function getCaseload(query: Omit<CaseloadQuery, 'limit' | 'offset'> = {}): Promise<Page<CaseloadItem>> {
  return fetchAll((page) => body(api.GET('/api/v1/caseload', { params: { query: { ...query, ...page } } })));
}
