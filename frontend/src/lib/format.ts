/** Words and dates shown to people; one place so labels stay consistent. */
import type { EvidenceKind, EvidenceStatus, KsbKind, KsbStatus, Role } from '../api/types';

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function formatDate(value: string | null | undefined): string {
  if (!value) return 'Not recorded';
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? value : dateFormat.format(parsed);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return 'Not recorded';
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? value : dateTimeFormat.format(parsed);
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} bytes`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

export const KIND_LABELS: Record<EvidenceKind, string> = {
  observation: 'Observation',
  witness_testimony: 'Witness testimony',
  reflective_account: 'Reflective account',
  work_product: 'Work product',
  professional_discussion: 'Professional discussion',
  question_and_answer: 'Question and answer',
  training_record: 'Training record',
  other: 'Other',
};

export const EVIDENCE_STATUS_LABELS: Record<EvidenceStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  accepted: 'Accepted',
  changes_requested: 'Changes requested',
  withdrawn: 'Withdrawn',
};

export const KSB_STATUS_LABELS: Record<KsbStatus, string> = {
  signed_off: 'Signed off',
  evidenced: 'Evidenced',
  in_progress: 'In progress',
  not_started: 'Not started',
};

export const KSB_KIND_LABELS: Record<KsbKind, string> = {
  knowledge: 'Knowledge',
  skill: 'Skill',
  behaviour: 'Behaviour',
};

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  provider: 'Training provider',
  employer: 'Employer',
  apprentice: 'Apprentice',
};

export function kindLabel(kind: string): string {
  return (KIND_LABELS as Record<string, string>)[kind] ?? kind;
}

/**
 * Name of a person or organisation the server resolved alongside an id. The API documents
 * these as nullable (the id is always there, the name only while the record exists).
 */
export function nameOf(ref: { name: string } | null | undefined, fallback = 'Unknown'): string {
  return ref?.name ?? fallback;
}
