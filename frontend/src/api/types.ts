/**
 * Wire types of the ksbfolio API (base /api/v1), written by hand from the agreed contract.
 *
 * Every exported name here is what the rest of the app imports. When the backend writes
 * frontend/openapi.json, `npm run gen:api` produces src/api/schema.d.ts, and each alias below
 * can become a re-export such as
 *   export type Evidence = components['schemas']['EvidenceResponse'];
 * without touching any page. Keep this file free of logic for that reason.
 */

export type Role = 'admin' | 'provider' | 'employer' | 'apprentice';

export const ROLES: readonly Role[] = ['admin', 'provider', 'employer', 'apprentice'];

/** RFC 9457 problem details, as every error response carries them. */
export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  organisation_id: string | null;
  active?: boolean;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  user: User;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface PageQuery {
  limit?: number;
  offset?: number;
}

// ---- Standards ---------------------------------------------------------------------------

export type KsbKind = 'knowledge' | 'skill' | 'behaviour';

export interface Ksb {
  code: string;
  kind: KsbKind;
  text: string;
}

export interface Duty {
  code: string;
  text: string;
  ksbs: string[];
}

export interface MappingInfo {
  status: 'provisional' | 'official';
  note: string;
}

export interface StandardSummary {
  reference: string;
  title: string;
  level: number;
  version: string;
}

export interface Standard extends StandardSummary {
  mapping: MappingInfo;
  duties: Duty[];
  ksbs: Ksb[];
}

// ---- Organisations, users, apprenticeships ----------------------------------------------

export type OrganisationKind = 'provider' | 'employer';

export interface Organisation {
  id: string;
  name: string;
  kind: OrganisationKind;
  created_at?: string;
}

export interface NewOrganisation {
  name: string;
  kind: OrganisationKind;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  organisation_id: string | null;
  password: string;
}

export interface PersonRef {
  id: string;
  name: string;
}

export interface OrganisationRef {
  id: string;
  name: string;
}

export interface Apprenticeship {
  id: string;
  apprentice: PersonRef & { email: string };
  standard: string;
  employer: OrganisationRef;
  provider: OrganisationRef;
  mentor: PersonRef;
  tutor: PersonRef;
  start_date: string;
  expected_end_date: string;
  created_at: string;
}

export interface NewApprenticeship {
  apprentice_id: string;
  standard: string;
  employer_id: string;
  provider_id: string;
  mentor_id: string;
  tutor_id: string;
  start_date: string;
  expected_end_date: string;
}

// ---- Evidence ----------------------------------------------------------------------------

export const EVIDENCE_KINDS = [
  'observation',
  'witness_testimony',
  'reflective_account',
  'work_product',
  'professional_discussion',
  'question_and_answer',
  'training_record',
  'other',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const EVIDENCE_STATUSES = [
  'draft',
  'submitted',
  'accepted',
  'changes_requested',
  'withdrawn',
] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

export type ReviewDecision = 'accepted' | 'changes_requested';

export interface Review {
  decision: ReviewDecision;
  feedback: string;
  reviewer: PersonRef;
  created_at: string;
}

export interface EvidenceSummary {
  id: string;
  apprenticeship_id: string;
  title: string;
  description: string;
  kind: EvidenceKind;
  occurred_on: string;
  ksbs: string[];
  status: EvidenceStatus;
  created_at: string;
  updated_at: string;
}

export interface Evidence extends EvidenceSummary {
  feedback?: string | null;
  reviews: Review[];
}

export interface EvidenceInput {
  title: string;
  description: string;
  kind: EvidenceKind;
  occurred_on: string;
  ksbs: string[];
}

export interface EvidenceFilters {
  status?: EvidenceStatus | '';
  ksb?: string;
  kind?: EvidenceKind | '';
}

export interface Revision {
  id?: string;
  revision?: number;
  title?: string;
  description?: string;
  kind?: EvidenceKind;
  occurred_on?: string;
  ksbs?: string[];
  status?: EvidenceStatus;
  created_at: string;
  author?: PersonRef;
}

export interface Comment {
  id: string;
  body: string;
  author: PersonRef;
  created_at: string;
}

export interface Attachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  created_at: string;
}

// ---- Sign-off and coverage ---------------------------------------------------------------

export interface Signoff {
  id: string;
  ksb: string;
  comment: string;
  signed_off_by: PersonRef;
  created_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

export type KsbStatus = 'not_started' | 'in_progress' | 'evidenced' | 'signed_off';

export interface CoverageTotals {
  ksbs: number;
  not_started: number;
  in_progress: number;
  evidenced: number;
  signed_off: number;
}

export interface DutyCoverage {
  code: string;
  text: string;
  ksbs: string[];
  not_started: number;
  in_progress: number;
  evidenced: number;
  signed_off: number;
  percent_evidenced: number;
  percent_signed_off: number;
}

export interface KsbCoverage {
  code: string;
  kind: KsbKind;
  status: KsbStatus;
  evidence: { draft: number; submitted: number; accepted: number; changes_requested: number };
  signed_off_at: string | null;
  signed_off_by: PersonRef | null;
}

export interface Coverage {
  apprenticeship_id: string;
  standard: string;
  totals: CoverageTotals;
  duties: DutyCoverage[];
  ksbs: KsbCoverage[];
}

// ---- Queues ------------------------------------------------------------------------------

export interface ReviewQueueItem {
  evidence_id: string;
  title: string;
  kind: EvidenceKind;
  ksbs: string[];
  submitted_at: string;
  apprenticeship_id: string;
  apprentice: PersonRef;
}

export interface SignoffQueueItem {
  apprenticeship_id: string;
  apprentice: PersonRef;
  ksbs: string[];
}

export interface CaseloadItem {
  apprenticeship_id: string;
  apprentice: PersonRef;
  expected_end_date: string;
  start_date: string;
  totals: CoverageTotals;
  duties: { code: string; percent_evidenced: number; percent_signed_off: number }[];
  last_activity_at: string | null;
}

export type CaseloadSort = 'progress' | '-progress';
