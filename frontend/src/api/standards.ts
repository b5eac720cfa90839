/** GET /standards, /standards/{reference}. */
import { request } from './client';
import type { ItemList, Standard, StandardSummary } from './types';

export const STANDARD_REFERENCE = 'ST0220';

export function listStandards(): Promise<ItemList<StandardSummary>> {
  return request<ItemList<StandardSummary>>('/standards');
}

export function getStandard(reference: string = STANDARD_REFERENCE): Promise<Standard> {
  return request<Standard>(`/standards/${encodeURIComponent(reference)}`);
}
