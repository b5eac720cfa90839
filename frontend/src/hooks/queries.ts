/** Read hooks: server state lives in React Query, never in hand-made caches (keys and invalidation in keys.ts). */
import { useQuery } from '@tanstack/react-query';
import { listAllUsers, listOrganisationPage, listOrganisations, listUsers, type UserFilters } from '../api/admin';
import { getApprenticeship, getApprenticeshipForChange, getCoverage, listApprenticeships, listSignoffs } from '../api/apprenticeships';
import { listBreaks } from '../api/breaks';
import { getEvidence, listAttachments, listComments, listEvidence, listRevisions } from '../api/evidence';
import { getGateway } from '../api/gateway';
import { getOtjQueue, getOtjSummary, listOtj } from '../api/otj';
import { getCaseload, getInbox, getReviewQueue, getSignoffQueue } from '../api/queues';
import { getReview, listReviews } from '../api/reviews';
import { getStandard, getStandardVersion } from '../api/standards';
import { keys } from './keys';
import type { Apprenticeship, CaseloadSort, EvidenceFilters, ListScope, PageQuery, QueueQuery, Role, SearchQuery } from '../api/types';

export { invalidate, keys } from './keys';

/**
 * The catalogue an apprenticeship follows: its own standard and version, not always the
 * newest, so every KSB shown or picked is worded as in the version the apprentice is on.
 */
export function useCatalogue(apprenticeship: Pick<Apprenticeship, 'standard' | 'standard_version'> | undefined) {
  const reference = apprenticeship?.standard ?? '';
  const version = apprenticeship?.standard_version ?? '';
  // A catalogue changes only when a standard is imported (rare); each page load reads it anew.
  return useQuery({
    queryKey: keys.standard(reference, version),
    queryFn: () => getStandardVersion(reference, version),
    enabled: apprenticeship !== undefined,
    staleTime: Infinity,
  });
}

/** The newest version of a standard, for what is about the standard rather than one apprenticeship. */
export function useNewestStandard(reference: string) {
  return useQuery({ queryKey: keys.standard(reference, 'newest'), queryFn: () => getStandard(reference), staleTime: Infinity });
}

export function useApprenticeships(query: SearchQuery = { limit: 100 }) {
  return useQuery({ queryKey: keys.apprenticeships(query), queryFn: () => listApprenticeships(query) });
}

export function useApprenticeship(id: string, enabled = true) {
  return useQuery({ queryKey: keys.apprenticeship(id), queryFn: () => getApprenticeship(id), enabled: enabled && id !== '' });
}

/** The apprenticeship with its ETag, read afresh for the change form. */
export function useApprenticeshipForChange(id: string) {
  return useQuery({ queryKey: keys.apprenticeshipForChange(id), queryFn: () => getApprenticeshipForChange(id), staleTime: 0 });
}

export function useBreaks(id: string, enabled = true) {
  return useQuery({ queryKey: keys.breaks(id), queryFn: () => listBreaks(id), enabled });
}

/** Active users of one role in one organisation (the mentor and tutor pickers). */
export function useOrganisationUsers(role: Role, organisationId: string | undefined) {
  const filters = { role, organisation_id: organisationId };
  return useQuery({ queryKey: keys.organisationUsers(role, organisationId ?? ''), queryFn: () => listAllUsers(filters), enabled: organisationId !== undefined });
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

/** One page of organisations, searched by name (the admin list; pickers use `useOrganisations`). */
export function useOrganisationPage(query: SearchQuery) {
  return useQuery({ queryKey: keys.organisationPage(query), queryFn: () => listOrganisationPage(query) });
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

export function useGateway(id: string) {
  return useQuery({ queryKey: keys.gateway(id), queryFn: () => getGateway(id) });
}
