/**
 * Links between the review queue and the review page that keep the reviewer's place: the
 * queue's scope and page, and the item's position in the queue (`at`), which the review page
 * uses to open the next item after a decision.
 */
import type { ListScope } from '../../api/types';

export const REVIEW_QUEUE_LIMIT = 25;

export function reviewLink(evidenceId: string, scope: ListScope, at: number): string {
  return `/evidence/${evidenceId}/review?${new URLSearchParams({ scope, at: String(at) }).toString()}`;
}

/** The queue page holding position `at`. */
export function queueLink(scope: ListScope, at: number): string {
  const offset = Math.floor(at / REVIEW_QUEUE_LIMIT) * REVIEW_QUEUE_LIMIT;
  const query = new URLSearchParams({ scope });
  if (offset > 0) query.set('offset', String(offset));
  return `/review-queue?${query.toString()}`;
}
