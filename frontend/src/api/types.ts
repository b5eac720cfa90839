/**
 * Wire types of the ksbfolio API (base /api/v1), re-exported from src/api/schema.d.ts, which
 * `npm run gen:api` generates from the server's OpenAPI document (frontend/openapi.json).
 *
 * The rest of the app imports these names, never `components['schemas'][…]` directly, so a
 * renamed schema is one line here. Keep this file free of logic: only aliases, the query
 * shapes the server documents as parameters, and lists of enum members checked against the
 * generated unions at compile time.
 */
import type { components, operations } from './schema';

type Schemas = components['schemas'];

/** The list itself if it names every member of U (a compile error otherwise). */
type Exhaustive<U, L extends readonly U[]> = [U] extends [L[number]] ? L : never;

export type Role = Schemas['Role'];
const ROLE_LIST = ['admin', 'provider', 'employer', 'apprentice'] as const;
export const ROLES: Exhaustive<Role, typeof ROLE_LIST> = ROLE_LIST;

/** RFC 9457 problem details, as every error response carries them. */
export type FieldError = Schemas['FieldError'];
/**
 * The server always sends every member; the client also builds problems for failures that
 * never reached it (network errors, an HTML 502 from a proxy), hence all optional here.
 */
export type Problem = Partial<Schemas['Problem']>;

export type User = Schemas['UserResponse'];
export type TokenResponse = Schemas['TokenResponse'];

export type Delivery = Schemas['Delivery'];
const DELIVERY_LIST = ['immediate', 'daily_digest', 'off'] as const;
export const DELIVERIES: Exhaustive<Delivery, typeof DELIVERY_LIST> = DELIVERY_LIST;
export type NotificationSettings = Schemas['NotificationSettings'];

/** Every list endpoint answers with this page (`Paginated_*` in the document). */
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

/** A page of a searchable list (users, apprenticeships, organisations). */
export interface SearchQuery extends PageQuery {
  /** part of a name or e-mail address, any case; blank is no search */
  q?: string;
}

/** Whose apprenticeships a queue or the caseload shows (the server defaults to `mine`). */
export type ListScope = NonNullable<NonNullable<operations['get_caseload']['parameters']['query']>['scope']>;

export interface QueueQuery extends PageQuery {
  scope?: ListScope;
}

/** Lists the server returns whole, without paging (`{items}` only). */
export interface ItemList<T> {
  items: T[];
}

// ---- Standards ---------------------------------------------------------------------------

export type KsbKind = Schemas['KsbKind'];
export type Ksb = Schemas['KsbView'];
export type Duty = Schemas['DutyView'];
/** Provenance of the duty ↔ KSB links: coverage carries this; the standard carries more. */
export type MappingInfo = Schemas['MappingNote'];
export type StandardSummary = Schemas['StandardSummary'];
/** A password-set link, shown once to the administrator who made it. */
export type PasswordLinkSent = Schemas['PasswordLinkSent'];
export type UserImport = Schemas['UserImportResponse'];
export type ApprenticeshipImport = Schemas['ApprenticeshipImportResponse'];
export type Standard = Schemas['StandardDetail'];

// ---- Organisations, users, apprenticeships ----------------------------------------------

export type OrganisationKind = Schemas['OrganisationKind'];
export type Organisation = Schemas['OrganisationResponse'];
export type NewOrganisation = Schemas['CreateOrganisationRequest'];
export type NewUser = Schemas['CreateUserRequest'];

export type Apprenticeship = Schemas['ApprenticeshipResponse'];
export type NewApprenticeship = Schemas['CreateApprenticeshipRequest'];
/** PATCH /apprenticeships/{id}: fields left out keep their value. */
export type ApprenticeshipUpdate = Schemas['UpdateApprenticeshipRequest'];

/** A break in learning (`ends_on` null while it is open). */
export type LearningBreak = Schemas['BreakResponse'];
export type StartBreakInput = Schemas['StartBreakRequest'];

// ---- Evidence ----------------------------------------------------------------------------

export type EvidenceKind = Schemas['EvidenceKind'];
const KIND_LIST = [
  'observation',
  'witness_testimony',
  'reflective_account',
  'work_product',
  'professional_discussion',
  'question_and_answer',
  'training_record',
  'other',
] as const;
export const EVIDENCE_KINDS: Exhaustive<EvidenceKind, typeof KIND_LIST> = KIND_LIST;

export type EvidenceStatus = Schemas['EvidenceStatus'];
const STATUS_LIST = ['draft', 'submitted', 'accepted', 'changes_requested', 'withdrawn'] as const;
export const EVIDENCE_STATUSES: Exhaustive<EvidenceStatus, typeof STATUS_LIST> = STATUS_LIST;

export type ReviewDecision = Schemas['Decision'];
export type Review = Schemas['ReviewResponse'];

export type Evidence = Schemas['EvidenceResponse'];
export type EvidenceInput = Schemas['CreateEvidenceRequest'];
export type EvidenceUpdate = Schemas['UpdateEvidenceRequest'];

type EvidenceQuery = NonNullable<operations['list_evidence']['parameters']['query']>;
/** The list's filters; '' means "any" in the filter form and is dropped from the URL. */
export interface EvidenceFilters {
  status?: EvidenceQuery['status'] | '';
  ksb?: EvidenceQuery['ksb'];
  kind?: EvidenceQuery['kind'] | '';
}

export type Revision = Schemas['RevisionResponse'];
export type Comment = Schemas['CommentResponse'];
export type Attachment = Schemas['AttachmentResponse'];

// ---- Sign-off and coverage ---------------------------------------------------------------

export type Signoff = Schemas['SignoffResponse'];
export type BulkSignoffInput = Schemas['BulkSignoffRequest'];
export type BulkSignoff = Schemas['BulkSignoffResponse'];

export type KsbStatus = Schemas['KsbStatus'];
export type CoverageTotals = Schemas['Totals'];
export type DutyCoverage = Schemas['DutyCoverage'];
export type KsbCoverage = Schemas['KsbCoverage'];
export type Coverage = Schemas['CoverageResponse'];

// ---- Queues ------------------------------------------------------------------------------

export type ReviewQueueItem = Schemas['ReviewQueueItem'];
export type SignoffQueueItem = Schemas['SignoffQueueItem'];
export type CaseloadItem = Schemas['CaseloadItem'];
export type InboxItem = Schemas['InboxItem'];
export type InboxKind = Schemas['InboxKind'];
const INBOX_KIND_LIST = [
  'ksb_ready',
  'evidence_to_review',
  'evidence_sent_back',
  'otj_to_approve',
  'otj_rejected',
  'review_due',
  'review_overdue',
  'review_to_sign',
] as const;
export const INBOX_KINDS: Exhaustive<InboxKind, typeof INBOX_KIND_LIST> = INBOX_KIND_LIST;

/**
 * The document types `sort` as a plain string and names the values in its description:
 * `progress` (least evidenced first, the default), `-progress`, `last_activity`.
 */
export type CaseloadSort = 'progress' | '-progress' | 'last_activity';
export type CaseloadQuery = NonNullable<operations['get_caseload']['parameters']['query']> & {
  sort?: CaseloadSort;
};

// ---- Off-the-job training, progress reviews ----------------------------------------------

export type OtjActivity = Schemas['OtjActivity'];
const ACTIVITY_LIST = [
  'taught_session',
  'online_learning',
  'practical_training',
  'shadowing',
  'mentoring',
  'assignment',
  'industry_visit',
  'other',
] as const;
export const OTJ_ACTIVITIES: Exhaustive<OtjActivity, typeof ACTIVITY_LIST> = ACTIVITY_LIST;
export type OtjStatus = Schemas['OtjStatus'];
export type OtjEntry = Schemas['OtjEntryResponse'];
export type OtjEntryInput = Schemas['CreateOtjRequest'];
export type OtjSummary = Schemas['OtjSummary'];
export type OtjPlanStatus = Schemas['OtjPlanStatus'];
export type OtjQueueItem = Schemas['OtjQueueItem'];

export type ProgressReview = Schemas['ProgressReviewResponse'];
export type ReviewParty = Schemas['ReviewParty'];
export type ReviewStatus = Schemas['ReviewStatus'];
export type SignedReview = Schemas['SignedResponse'];
export type ReviewInput = Schemas['ReviewInput'];
export type NextAction = Schemas['NextAction'];
export type ReviewSnapshot = Schemas['ReviewSnapshot'];
export type ReviewStanding = Schemas['ReviewStanding'];
export type ReviewState = Schemas['ReviewState'];
const REVIEW_STATE_LIST = ['overdue', 'due_soon', 'on_time'] as const;
export const REVIEW_STATES: Exhaustive<ReviewState, typeof REVIEW_STATE_LIST> = REVIEW_STATE_LIST;
const PARTY_LIST = ['apprentice', 'employer', 'provider'] as const;
export const REVIEW_PARTIES: Exhaustive<ReviewParty, typeof PARTY_LIST> = PARTY_LIST;

export type Gateway = Schemas['GatewayResponse'];
export type GatewayCheck = Schemas['GatewayCheck'];
export type GatewayCheckCode = Schemas['GatewayCheckCode'];
export type GatewayState = Schemas['GatewayState'];
export type GatewayDeclaration = Schemas['DeclarationResponse'];
export type FunctionalSkillStatus = Schemas['FunctionalSkillStatus'];
const FUNCTIONAL_SKILL_LIST = ['pending', 'achieved', 'exempt'] as const;
export const FUNCTIONAL_SKILL_STATUSES: Exhaustive<FunctionalSkillStatus, typeof FUNCTIONAL_SKILL_LIST> = FUNCTIONAL_SKILL_LIST;
export type EnglishMathsInput = Schemas['EnglishMathsRequest'];
