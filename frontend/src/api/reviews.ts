/** Progress reviews and their signatures. */
import { request, requestWithMeta } from './client';
import type { Page, PageQuery, ProgressReview, ReviewInput, SignedReview } from './types';

const id = encodeURIComponent;

export function listReviews(apprenticeshipId: string, query: PageQuery = {}): Promise<Page<ProgressReview>> {
  return request<Page<ProgressReview>>(`/apprenticeships/${id(apprenticeshipId)}/reviews`, { query: { ...query } });
}

/** Records a review (a draft until all three sign); the server snapshots coverage and OTJ time. */
export function createReview(apprenticeshipId: string, body: ReviewInput): Promise<ProgressReview> {
  return request<ProgressReview>(`/apprenticeships/${id(apprenticeshipId)}/reviews`, { method: 'POST', body });
}

/** A review plus the ETag the server sent, needed for If-Match on PATCH. */
export interface ReviewWithEtag {
  review: ProgressReview;
  etag: string;
}

function etagOf(response: { data: ProgressReview; headers: Headers }): string {
  return response.headers.get('etag') ?? `"${response.data.version}"`;
}

export async function getReview(reviewId: string): Promise<ReviewWithEtag> {
  const response = await requestWithMeta<ProgressReview>(`/reviews/${id(reviewId)}`);
  return { review: response.data, etag: etagOf(response) };
}

/**
 * Rewrites a draft's fields (the snapshot stays as taken). 412 when someone changed it since it
 * was loaded, 409 once anyone has signed.
 */
export async function updateReview(reviewId: string, etag: string, body: ReviewInput): Promise<ReviewWithEtag> {
  const response = await requestWithMeta<ProgressReview>(`/reviews/${id(reviewId)}`, {
    method: 'PATCH',
    body,
    headers: { 'If-Match': etag },
  });
  return { review: response.data, etag: etagOf(response) };
}

/** Signs in the caller's own role (apprentice, employer or provider); no body. */
export function signReview(reviewId: string): Promise<SignedReview> {
  return request<SignedReview>(`/reviews/${id(reviewId)}/sign`, { method: 'POST' });
}
