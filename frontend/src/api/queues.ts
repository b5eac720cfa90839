/** Work queues: review (provider), sign-off (employer), caseload (provider). */
import { request } from './client';
import type {
  CaseloadItem,
  CaseloadSort,
  Page,
  PageQuery,
  ReviewQueueItem,
  SignoffQueueItem,
} from './types';

export function getReviewQueue(query: PageQuery = {}): Promise<Page<ReviewQueueItem>> {
  return request<Page<ReviewQueueItem>>('/review-queue', { query: { ...query } });
}

export function getSignoffQueue(query: PageQuery = {}): Promise<Page<SignoffQueueItem>> {
  return request<Page<SignoffQueueItem>>('/signoff-queue', { query: { ...query } });
}

export function getCaseload(
  query: PageQuery & { sort?: CaseloadSort } = {},
): Promise<Page<CaseloadItem>> {
  return request<Page<CaseloadItem>>('/caseload', { query: { ...query } });
}
