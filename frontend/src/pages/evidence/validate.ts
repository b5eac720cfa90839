/** Client-side checks on evidence before it goes to the server (which checks again). */
import type { EvidenceInput } from '../../api/types';

/** The form's state: every field present, the kind possibly not chosen yet. */
export type EvidenceDraft = Omit<EvidenceInput, 'kind' | 'description'> & {
  kind: EvidenceInput['kind'] | '';
  description: string;
};

export const EVIDENCE_FIELD_IDS: Record<string, string> = {
  title: 'evidence-title',
  description: 'evidence-description',
  kind: 'evidence-kind',
  occurred_on: 'evidence-occurred-on',
  ksbs: 'evidence-ksbs',
};

/** The form's words for each field, for server messages shown in the error summary. */
export const EVIDENCE_FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  kind: 'Type of evidence',
  occurred_on: 'Date it happened',
  ksbs: 'KSBs',
};

export function validateEvidence(draft: EvidenceDraft, today: string): Partial<Record<keyof EvidenceInput, string>> {
  const errors: Partial<Record<keyof EvidenceInput, string>> = {};
  if (draft.title.trim() === '') errors.title = 'Enter a title';
  else if (draft.title.trim().length > 200) errors.title = 'Title must be 200 characters or fewer';
  if (draft.description.trim() === '') errors.description = 'Describe what you did and what it shows';
  if (draft.kind === '') errors.kind = 'Choose the type of evidence';
  if (draft.occurred_on === '') errors.occurred_on = 'Enter the date it happened';
  else if (draft.occurred_on > today) errors.occurred_on = 'The date must be today or in the past';
  if (draft.ksbs.length === 0) errors.ksbs = 'Choose at least one KSB';
  return errors;
}

export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
