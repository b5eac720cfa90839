/**
 * The gateway: readiness, the three declarations and their withdrawal, English and maths, and
 * the downloads of the portfolio (the end-point assessment pack and the whole archive).
 */
import { api, body, creating } from './client';
import { saveBlob } from './download';
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

export type PortfolioFormat = 'pdf' | 'zip';

/**
 * Downloads the end-point assessment pack (`pdf`) or the whole portfolio (`zip`) with the
 * bearer token, saved as `portfolio-<apprenticeship id>.<format>`.
 */
export async function downloadPortfolio(apprenticeshipId: string, format: PortfolioFormat): Promise<void> {
  const request = { params: { path: { id: apprenticeshipId } }, headers: { Accept: '*/*' }, parseAs: 'blob' as const };
  const bytes = await body(
    format === 'pdf'
      ? api.GET('/api/v1/apprenticeships/{id}/portfolio.pdf', request)
      : api.GET('/api/v1/apprenticeships/{id}/portfolio.zip', request),
  );
  saveBlob(bytes, `portfolio-${apprenticeshipId}.${format}`);
}
