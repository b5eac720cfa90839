/** The standards' catalogues: GET /standards, /standards/{reference}. */
import { api, body } from './client';
import type { ItemList, Standard, StandardSummary } from './types';

/** The standard new enrolments follow. */
export const STANDARD_REFERENCE = 'ST0220';

/** Every imported version of every standard (summaries, not paged). */
export function listStandards(): Promise<ItemList<StandardSummary>> {
  return body(api.GET('/api/v1/standards'));
}

/** The newest version of one standard: duties, KSBs and their statements. */
export function getStandard(reference: string): Promise<Standard> {
  return body(api.GET('/api/v1/standards/{reference}', { params: { path: { reference } } }));
}

/** One imported version of a standard: the catalogue an apprenticeship on that version follows. */
export function getStandardVersion(reference: string, version: string): Promise<Standard> {
  return body(api.GET('/api/v1/standards/{reference}/versions/{version}', { params: { path: { reference, version } } }));
}
