/** Progress reviews and their signatures. */
import { api, body, creating, ifMatch, versioned } from './client';
import type { Page, PageQuery, ProgressReview, ReviewInput, SignedReview } from './types';

export function listReviews(apprenticeshipId: string, query: PageQuery = {}): Promise<Page<ProgressReview>> {
  return body(api.GET('/api/v1/apprenticeships/{id}/reviews', { params: { path: { id: apprenticeshipId }, query } }));
}

/** Records a review (a draft until all three sign); the server snapshots coverage and OTJ time. */
export function createReview(apprenticeshipId: string, review: ReviewInput): Promise<ProgressReview> {
  return body(api.POST('/api/v1/apprenticeships/{id}/reviews', { params: creating({ id: apprenticeshipId }), body: review }));
}

/** A review plus the ETag the server sent, needed for If-Match on PATCH. */
export interface ReviewWithEtag {
  review: ProgressReview;
  etag: string;
}

async function withEtag(pending: ReturnType<typeof versioned<ProgressReview>>): Promise<ReviewWithEtag> {
  const { data, etag } = await pending;
  return { review: data, etag };
}

export function getReview(reviewId: string): Promise<ReviewWithEtag> {
  return withEtag(versioned(api.GET('/api/v1/reviews/{review_id}', { params: { path: { review_id: reviewId } } })));
}

/**
 * Rewrites a draft's fields (the snapshot stays as taken). 412 when someone changed it since it
 * was loaded, 409 once anyone has signed.
 */
export function updateReview(reviewId: string, etag: string, review: ReviewInput): Promise<ReviewWithEtag> {
  return withEtag(versioned(api.PATCH('/api/v1/reviews/{review_id}', { params: ifMatch({ review_id: reviewId }, etag), body: review })));
}

/** Signs in the caller's own role (apprentice, employer or provider); no body. */
export function signReview(reviewId: string): Promise<SignedReview> {
  return body(api.POST('/api/v1/reviews/{review_id}/sign', { params: creating({ review_id: reviewId }) }));
}

/**
 * Voids every signature (kept in the record, marked void with the reason) and returns the
 * review to draft. Provider staff; 409 when nothing is signed, 422 without a reason.
 */
export function reopenReview(reviewId: string, reason: string): Promise<ProgressReview> {
  return body(api.POST('/api/v1/reviews/{review_id}/reopen', { params: { path: { review_id: reviewId } }, body: { reason } }));
}
