/** GET /standards, /standards/{reference}. */
import { request } from './client';
import type { Page, Standard, StandardSummary } from './types';

export const STANDARD_REFERENCE = 'ST0220';

export function listStandards(): Promise<Page<StandardSummary>> {
  return request<Page<StandardSummary>>('/standards');
}

export function getStandard(reference: string = STANDARD_REFERENCE): Promise<Standard> {
  return request<Standard>(`/standards/${encodeURIComponent(reference)}`);
}
