/**
 * React Query keys, and per resource the one function that marks stale everything a change to
 * it touches. Pages call `invalidate.evidence(…)` and the like after a change, never hand-written
 * key arrays: what depends on what (evidence feeds coverage, the queues and the caseload) is
 * written here once.
 */
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { UserFilters } from '../api/admin';
import type { EvidenceFilters, ListScope, PageQuery, QueueQuery, Role, SearchQuery } from '../api/types';

export const keys = {
  standard: (reference: string, version: string) => ['standard', reference, version] as const,
  apprenticeships: (q: SearchQuery) => ['apprenticeships', q] as const,
  apprenticeship: (id: string) => ['apprenticeship', id] as const,
  /** The apprenticeship with its ETag, for the change form (under the apprenticeship's key). */
  apprenticeshipForChange: (id: string) => ['apprenticeship', id, 'change'] as const,
  breaks: (id: string) => ['breaks', id] as const,
  coverage: (id: string) => ['coverage', id] as const,
  signoffs: (id: string) => ['signoffs', id] as const,
  evidenceList: (id: string, f: EvidenceFilters & PageQuery) => ['evidence-list', id, f] as const,
  evidence: (id: string) => ['evidence', id] as const,
  attachments: (id: string) => ['attachments', id] as const,
  comments: (id: string) => ['comments', id] as const,
  revisions: (id: string) => ['revisions', id] as const,
  reviewQueue: (q: QueueQuery) => ['review-queue', q] as const,
  signoffQueue: (q: QueueQuery) => ['signoff-queue', q] as const,
  caseload: (sort: string, scope: ListScope) => ['caseload', sort, scope] as const,
  inbox: (q: PageQuery) => ['inbox', q] as const,
  otj: (id: string) => ['otj', id] as const,
  otjSummary: (id: string) => ['otj-summary', id] as const,
  reviews: (id: string) => ['reviews', id] as const,
  review: (id: string) => ['review', id] as const,
  otjQueue: (q: QueueQuery) => ['otj-queue', q] as const,
  gateway: (id: string) => ['gateway', id] as const,
  organisations: () => ['organisations'] as const,
  organisationPage: (q: SearchQuery) => ['organisations', 'page', q] as const,
  users: (q: UserFilters) => ['users', q] as const,
  allUsers: (role: Role) => ['users', 'all', role] as const,
  organisationUsers: (role: Role, organisationId: string) => ['users', 'all', role, organisationId] as const,
};

/** Prefixes of whole families of queries (every filter, page, sort and scope of them). */
const all = {
  apprenticeships: ['apprenticeships'],
  evidenceLists: ['evidence-list'],
  reviewQueue: ['review-queue'],
  signoffQueue: ['signoff-queue'],
  otjQueue: ['otj-queue'],
  caseload: ['caseload'],
  inbox: ['inbox'],
  users: ['users'],
  organisations: ['organisations'],
} as const satisfies Record<string, QueryKey>;

async function stale(client: QueryClient, queryKeys: readonly QueryKey[]): Promise<void> {
  await Promise.all(queryKeys.map((queryKey) => client.invalidateQueries({ queryKey })));
}

/**
 * One function per resource: call it after any change to that resource.
 *
 * The caseload, the queues and the inbox are derived from evidence, sign-offs, time and
 * reviews, so each of those changes marks them stale too; lists are marked in every filter and page at once.
 */
export const invalidate = {
  /**
   * Evidence created, edited, submitted, withdrawn, reviewed or deleted, or a file added or
   * removed (a removal is a new version with a revision): the item, its revisions and files,
   * the apprenticeship's lists and coverage, the review and sign-off queues, the caseload and
   * the inbox.
   */
  evidence: (client: QueryClient, { apprenticeshipId, evidenceId }: { apprenticeshipId: string; evidenceId?: string }) =>
    stale(client, [
      ...(evidenceId === undefined ? [] : [keys.evidence(evidenceId), keys.revisions(evidenceId), keys.attachments(evidenceId)]),
      all.evidenceLists,
      keys.coverage(apprenticeshipId),
      keys.gateway(apprenticeshipId),
      all.reviewQueue,
      all.signoffQueue,
      all.caseload,
      all.inbox,
    ]),

  /** A comment added: only the evidence's thread. */
  comments: (client: QueryClient, evidenceId: string) => stale(client, [keys.comments(evidenceId)]),

  /**
   * KSBs signed off (one or several at once) or a sign-off revoked: sign-offs, coverage, the
   * sign-off queue, the caseload and the inbox.
   */
  signoffs: (client: QueryClient, apprenticeshipId: string) =>
    stale(client, [keys.signoffs(apprenticeshipId), keys.coverage(apprenticeshipId), keys.gateway(apprenticeshipId), all.signoffQueue, all.caseload, all.inbox]),

  /** Off-the-job time logged or decided: the entries, the summary, the queue, the caseload, the inbox. */
  otj: (client: QueryClient, apprenticeshipId: string) =>
    stale(client, [keys.otj(apprenticeshipId), keys.otjSummary(apprenticeshipId), keys.gateway(apprenticeshipId), all.otjQueue, all.caseload, all.inbox]),

  /**
   * A progress review recorded, edited or signed: the reviews, every open review, the
   * apprenticeship (its review standing), the caseload (review state, unsigned count) and the
   * inbox (reviews due and to sign).
   */
  reviews: (client: QueryClient, apprenticeshipId: string) =>
    stale(client, [keys.reviews(apprenticeshipId), ['review'], keys.apprenticeship(apprenticeshipId), keys.gateway(apprenticeshipId), all.caseload, all.inbox]),

  /**
   * A gateway declaration, withdrawal or English and maths record: the gateway, and the
   * apprenticeship (its plan and standing are shown beside it).
   */
  gateway: (client: QueryClient, apprenticeshipId: string) =>
    stale(client, [keys.gateway(apprenticeshipId), keys.apprenticeship(apprenticeshipId)]),

  /**
   * An apprenticeship changed (mentor, tutor, expected end, OTJ plan): the apprenticeship, its
   * OTJ summary (the plan and the floor), its gateway, the lists, the caseload and the inbox
   * (a new tutor or mentor holds its items).
   */
  apprenticeship: (client: QueryClient, apprenticeshipId: string) =>
    stale(client, [keys.apprenticeship(apprenticeshipId), keys.otjSummary(apprenticeshipId), keys.gateway(apprenticeshipId), all.apprenticeships, all.caseload, all.inbox]),

  /**
   * A break in learning started or ended: the breaks, the apprenticeship (on a break, the
   * expected end, the review deadline), its OTJ summary (expected time by now), its gateway,
   * the lists, the caseload and the inbox (reviews due).
   */
  breaks: (client: QueryClient, apprenticeshipId: string) =>
    stale(client, [keys.breaks(apprenticeshipId), keys.apprenticeship(apprenticeshipId), keys.otjSummary(apprenticeshipId), keys.gateway(apprenticeshipId), all.apprenticeships, all.caseload, all.inbox]),

  /** An apprenticeship enrolled (by form or import): the lists and the caseload. */
  apprenticeships: (client: QueryClient) => stale(client, [all.apprenticeships, all.caseload]),

  /** A user created, imported, deactivated or reactivated: every user list and picker. */
  users: (client: QueryClient) => stale(client, [all.users]),

  /** An organisation created: the list and the pickers. */
  organisations: (client: QueryClient) => stale(client, [all.organisations]),
};
