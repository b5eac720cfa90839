/** Query keys and read hooks: server state lives in React Query, never in hand-made caches. */
import { useQuery } from '@tanstack/react-query';
import { listAllUsers, listOrganisations, listUsers, type UserFilters } from '../api/admin';
import { getApprenticeship, getCoverage, listApprenticeships, listSignoffs } from '../api/apprenticeships';
import { getEvidence, listAttachments, listComments, listEvidence, listRevisions } from '../api/evidence';
import { getOtjQueue, getOtjSummary, listOtj } from '../api/otj';
import { getCaseload, getInbox, getReviewQueue, getSignoffQueue } from '../api/queues';
import { getReview, listReviews } from '../api/reviews';
import { getStandard, STANDARD_REFERENCE } from '../api/standards';
import type { CaseloadSort, EvidenceFilters, ListScope, PageQuery, QueueQuery, Role } from '../api/types';

export const keys = {
  standard: (ref: string) => ['standard', ref] as const,
  apprenticeships: (q: PageQuery) => ['apprenticeships', q] as const,
  apprenticeship: (id: string) => ['apprenticeship', id] as const,
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
  organisations: () => ['organisations'] as const,
  users: (q: UserFilters) => ['users', q] as const,
  allUsers: (role: Role) => ['users', 'all', role] as const,
};

export function useStandard(reference: string = STANDARD_REFERENCE) {
  // The standard changes only with a new release of the backend.
  return useQuery({ queryKey: keys.standard(reference), queryFn: () => getStandard(reference), staleTime: Infinity });
}

export function useApprenticeships(query: PageQuery = { limit: 100 }) {
  return useQuery({ queryKey: keys.apprenticeships(query), queryFn: () => listApprenticeships(query) });
}

export function useApprenticeship(id: string, enabled = true) {
  return useQuery({ queryKey: keys.apprenticeship(id), queryFn: () => getApprenticeship(id), enabled: enabled && id !== '' });
}

export function useCoverage(id: string) {
  return useQuery({ queryKey: keys.coverage(id), queryFn: () => getCoverage(id) });
}

export function useSignoffs(id: string) {
  return useQuery({ queryKey: keys.signoffs(id), queryFn: () => listSignoffs(id) });
}

export function useEvidenceList(id: string, filters: EvidenceFilters & PageQuery) {
  return useQuery({ queryKey: keys.evidenceList(id, filters), queryFn: () => listEvidence(id, filters) });
}

export function useEvidence(id: string) {
  return useQuery({ queryKey: keys.evidence(id), queryFn: () => getEvidence(id) });
}

export function useAttachments(id: string, enabled = true) {
  return useQuery({ queryKey: keys.attachments(id), queryFn: () => listAttachments(id), enabled });
}

export function useComments(id: string) {
  return useQuery({ queryKey: keys.comments(id), queryFn: () => listComments(id) });
}

export function useRevisions(id: string, enabled: boolean) {
  return useQuery({ queryKey: keys.revisions(id), queryFn: () => listRevisions(id), enabled });
}

export function useReviewQueue(query: QueueQuery) {
  return useQuery({ queryKey: keys.reviewQueue(query), queryFn: () => getReviewQueue(query) });
}

export function useSignoffQueue(query: QueueQuery) {
  return useQuery({ queryKey: keys.signoffQueue(query), queryFn: () => getSignoffQueue(query) });
}

export function useCaseload(sort: CaseloadSort, scope: ListScope = 'mine') {
  // The whole caseload is fetched (a tutor's caseload is tens of apprentices) so that the
  // behind-plan and inactivity filters work across all of it, not just one page.
  return useQuery({ queryKey: keys.caseload(sort, scope), queryFn: () => getCaseload({ sort, scope }) });
}

export function useInbox(query: PageQuery) {
  return useQuery({ queryKey: keys.inbox(query), queryFn: () => getInbox(query) });
}

export function useOrganisations() {
  return useQuery({ queryKey: keys.organisations(), queryFn: () => listOrganisations() });
}

/** Every user with one role, for pickers. */
export function useAllUsers(role: Role) {
  return useQuery({ queryKey: keys.allUsers(role), queryFn: () => listAllUsers({ role }) });
}

export function useUsers(query: UserFilters) {
  return useQuery({ queryKey: keys.users(query), queryFn: () => listUsers(query) });
}

/** The latest 50 off-the-job entries of an apprenticeship. */
export function useOtjEntries(id: string) {
  return useQuery({ queryKey: keys.otj(id), queryFn: () => listOtj(id, { limit: 50 }) });
}

export function useOtjSummary(id: string) {
  return useQuery({ queryKey: keys.otjSummary(id), queryFn: () => getOtjSummary(id) });
}

export function useReviews(id: string) {
  return useQuery({ queryKey: keys.reviews(id), queryFn: () => listReviews(id, { limit: 50 }) });
}

export function useReview(id: string) {
  return useQuery({ queryKey: keys.review(id), queryFn: () => getReview(id) });
}

export function useOtjQueue(query: QueueQuery) {
  return useQuery({ queryKey: keys.otjQueue(query), queryFn: () => getOtjQueue(query) });
}
