/**
 * Finding KSBs in the picker by code ("S7", "s 7", "k1") or by words of their text.
 * Every word typed must appear (in the code or the text); exact code matches come first.
 */
import type { Duty, Ksb } from '../api/types';

export function normaliseCode(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

const CODE_PATTERN = /^[KSB]\d{0,2}$/;

export function searchKsbs(ksbs: readonly Ksb[], query: string): Ksb[] {
  const trimmed = query.trim();
  if (trimmed === '') return [...ksbs];
  const compact = normaliseCode(trimmed);
  if (CODE_PATTERN.test(compact)) {
    const exact = ksbs.filter((k) => k.code === compact);
    const prefix = ksbs.filter((k) => k.code !== compact && k.code.startsWith(compact));
    if (exact.length + prefix.length > 0 || compact.length > 1) return [...exact, ...prefix];
  }
  const words = trimmed.toLowerCase().split(/\s+/).filter(Boolean);
  return ksbs.filter((k) => {
    const haystack = `${k.code} ${k.text}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

export interface KsbGroup {
  /** duty code, or null for KSBs that no duty lists */
  duty: Duty | null;
  ksbs: Ksb[];
}

/** Group (already filtered) KSBs by duty; a KSB in several duties appears in each. */
export function groupByDuty(duties: readonly Duty[], ksbs: readonly Ksb[]): KsbGroup[] {
  const byCode = new Map(ksbs.map((k) => [k.code, k]));
  const placed = new Set<string>();
  const groups: KsbGroup[] = [];
  for (const duty of duties) {
    const members = duty.ksbs.flatMap((code) => {
      const ksb = byCode.get(code);
      return ksb ? [ksb] : [];
    });
    members.forEach((k) => placed.add(k.code));
    if (members.length > 0) groups.push({ duty, ksbs: members });
  }
  const rest = ksbs.filter((k) => !placed.has(k.code));
  if (rest.length > 0) groups.push({ duty: null, ksbs: rest });
  return groups;
}

/** Sort codes K…, S…, B… then numerically: K2 before K10. */
export function compareKsbCodes(a: string, b: string): number {
  const order = 'KSB';
  const ka = order.indexOf(a.charAt(0));
  const kb = order.indexOf(b.charAt(0));
  if (ka !== kb) return ka - kb;
  return Number(a.slice(1)) - Number(b.slice(1));
}

/** Duties that list a KSB. */
export function dutiesOf(duties: readonly Duty[], code: string): Duty[] {
  return duties.filter((d) => d.ksbs.includes(code));
}
