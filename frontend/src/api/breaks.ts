/** Breaks in learning of an apprenticeship (started and ended by the provider's staff). */
import { api, body, creating } from './client';
import type { LearningBreak, StartBreakInput } from './types';

/** Every break, oldest first (a plain list, not paged). */
export function listBreaks(apprenticeshipId: string): Promise<LearningBreak[]> {
  return body(api.GET('/api/v1/apprenticeships/{id}/breaks', { params: { path: { id: apprenticeshipId } } }));
}

/** Starts a break (honours Idempotency-Key); 422 on `starts_on` or `reason`. */
export function startBreak(apprenticeshipId: string, input: StartBreakInput): Promise<LearningBreak> {
  return body(api.POST('/api/v1/apprenticeships/{id}/breaks', { params: creating({ id: apprenticeshipId }), body: input }));
}

/** Ends the open break on its last day; the review deadline and the expected end move later by its length. */
export function endBreak(apprenticeshipId: string, breakId: string, endsOn: string): Promise<LearningBreak> {
  return body(
    api.POST('/api/v1/apprenticeships/{id}/breaks/{break_id}/end', {
      params: { path: { id: apprenticeshipId, break_id: breakId } },
      body: { ends_on: endsOn },
    }),
  );
}
