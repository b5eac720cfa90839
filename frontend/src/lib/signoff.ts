/** Several KSBs signed off at once: the selection as it travels in the URL, and in words. */

/** The KSB codes of `?ksbs=S7,K5`, upper-cased, each once, in the order given. */
export function selectedCodes(param: string | null): string[] {
  const codes = (param ?? '')
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c !== '');
  return [...new Set(codes)];
}

/** "S7", "S7 and K5", "S7, K5 and B2". */
export function listInWords(codes: string[]): string {
  if (codes.length <= 1) return codes.join('');
  return `${codes.slice(0, -1).join(', ')} and ${codes[codes.length - 1]}`;
}

/** The page that signs off these KSBs of one apprenticeship together. */
export function bulkSignoffPath(apprenticeshipId: string, codes: string[]): string {
  return `/apprenticeships/${encodeURIComponent(apprenticeshipId)}/signoffs/new?ksbs=${codes.map(encodeURIComponent).join(',')}`;
}
