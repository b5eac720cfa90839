/** The gateway: readiness, the three declarations and their withdrawal, English and maths. */
import { api, body, creating } from './client';
import type { EnglishMathsInput, Gateway } from './types';

export function getGateway(apprenticeshipId: string): Promise<Gateway> {
  return body(api.GET('/api/v1/apprenticeships/{id}/gateway', { params: { path: { id: apprenticeshipId } } }));
}

/** Declares in the caller's own role (provider staff, then the apprentice, then the employer). */
export function declareGateway(apprenticeshipId: string): Promise<Gateway> {
  return body(api.POST('/api/v1/apprenticeships/{id}/gateway/declarations', { params: creating({ id: apprenticeshipId }) }));
}

/** Provider staff void the declarations and unfreeze the portfolio. */
export function withdrawGateway(apprenticeshipId: string, reason: string): Promise<Gateway> {
  return body(api.POST('/api/v1/apprenticeships/{id}/gateway/withdraw', { params: { path: { id: apprenticeshipId } }, body: { reason } }));
}

export function putEnglishMaths(apprenticeshipId: string, input: EnglishMathsInput): Promise<Gateway> {
  return body(api.PUT('/api/v1/apprenticeships/{id}/english-maths', { params: { path: { id: apprenticeshipId } }, body: input }));
}
