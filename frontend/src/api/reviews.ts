/** Progress reviews and their signatures. */
import { request } from './client';
import type { Page, PageQuery, ProgressReview, SignedReview } from './types';

const id = encodeURIComponent;

export function listReviews(apprenticeshipId: string, query: PageQuery = {}): Promise<Page<ProgressReview>> {
  return request<Page<ProgressReview>>(`/apprenticeships/${id(apprenticeshipId)}/reviews`, { query: { ...query } });
}

/** Signs in the caller's own role (apprentice, employer or provider); no body. */
export function signReview(reviewId: string): Promise<SignedReview> {
  return request<SignedReview>(`/reviews/${id(reviewId)}/sign`, { method: 'POST' });
}
