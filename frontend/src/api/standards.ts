/** The standards' catalogues: GET /standards, /standards/{reference}. */
import { api, body } from './client';
import type { ItemList, Standard, StandardSummary } from './types';

/** The standard new enrolments follow. */
export const STANDARD_REFERENCE = 'ST0220';

/** Every imported version of every standard (summaries, not paged). */
export function listStandards(): Promise<ItemList<StandardSummary>> {
  return body(api.GET('/api/v1/standards'));
}

/**
 * The newest version of one standard: duties, KSBs and their statements. The API has no
 * request for a given version (an apprenticeship may follow an older one): `useCatalogue`
 * compares the version this returns with the apprenticeship's.
 */
export function getStandard(reference: string): Promise<Standard> {
  return body(api.GET('/api/v1/standards/{reference}', { params: { path: { reference } } }));
}
