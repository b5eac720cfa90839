/** Evidence, its workflow, revisions, comments and attachments. */
import { request, requestRaw, requestWithMeta } from './client';
import type {
  Attachment,
  Comment,
  Evidence,
  EvidenceFilters,
  EvidenceInput,
  Page,
  PageQuery,
  Revision,
  ReviewDecision,
} from './types';

const id = encodeURIComponent;

/** Evidence plus the ETag the server sent, needed for If-Match on PATCH. */
export interface VersionedEvidence {
  evidence: Evidence;
  etag: string | null;
}

export function listEvidence(
  apprenticeshipId: string,
  filters: EvidenceFilters & PageQuery = {},
): Promise<Page<Evidence>> {
  return request<Page<Evidence>>(`/apprenticeships/${id(apprenticeshipId)}/evidence`, {
    query: { ...filters },
  });
}

export function createEvidence(apprenticeshipId: string, body: EvidenceInput): Promise<Evidence> {
  return request<Evidence>(`/apprenticeships/${id(apprenticeshipId)}/evidence`, {
    method: 'POST',
    body,
  });
}

export async function getEvidence(evidenceId: string): Promise<VersionedEvidence> {
  const response = await requestWithMeta<Evidence>(`/evidence/${id(evidenceId)}`);
  return { evidence: response.data, etag: response.headers.get('etag') };
}

/** PATCH with If-Match: 412 when someone changed it meanwhile, 428 if the ETag is missing. */
export async function updateEvidence(
  evidenceId: string,
  etag: string | null,
  body: Partial<EvidenceInput>,
): Promise<VersionedEvidence> {
  const response = await requestWithMeta<Evidence>(`/evidence/${id(evidenceId)}`, {
    method: 'PATCH',
    body,
    headers: etag === null ? {} : { 'If-Match': etag },
  });
  return { evidence: response.data, etag: response.headers.get('etag') };
}

export function deleteEvidence(evidenceId: string): Promise<undefined> {
  return request<undefined>(`/evidence/${id(evidenceId)}`, { method: 'DELETE' });
}

export function submitEvidence(evidenceId: string): Promise<Evidence> {
  return request<Evidence>(`/evidence/${id(evidenceId)}/submit`, { method: 'POST' });
}

export function withdrawEvidence(evidenceId: string, reason: string): Promise<Evidence> {
  return request<Evidence>(`/evidence/${id(evidenceId)}/withdraw`, {
    method: 'POST',
    body: { reason },
  });
}

export function reviewEvidence(
  evidenceId: string,
  decision: ReviewDecision,
  feedback: string,
): Promise<Evidence> {
  return request<Evidence>(`/evidence/${id(evidenceId)}/review`, {
    method: 'POST',
    body: { decision, feedback },
  });
}

/** Lists that may come bare or wrapped in a page; both shapes are accepted. */
function items<T>(value: T[] | Page<T>): T[] {
  return Array.isArray(value) ? value : value.items;
}

export async function listRevisions(evidenceId: string): Promise<Revision[]> {
  return items(await request<Revision[] | Page<Revision>>(`/evidence/${id(evidenceId)}/revisions`));
}

export async function listComments(evidenceId: string): Promise<Comment[]> {
  return items(await request<Comment[] | Page<Comment>>(`/evidence/${id(evidenceId)}/comments`));
}

export function addComment(evidenceId: string, body: string): Promise<Comment> {
  return request<Comment>(`/evidence/${id(evidenceId)}/comments`, { method: 'POST', body: { body } });
}

export async function listAttachments(evidenceId: string): Promise<Attachment[]> {
  return items(
    await request<Attachment[] | Page<Attachment>>(`/evidence/${id(evidenceId)}/attachments`),
  );
}

export function uploadAttachment(evidenceId: string, file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file);
  return request<Attachment>(`/evidence/${id(evidenceId)}/attachments`, {
    method: 'POST',
    body: form,
  });
}

/**
 * Downloads need the bearer token, so a plain link cannot fetch them: fetch the bytes,
 * then hand the browser an object URL to save.
 */
export async function downloadAttachment(evidenceId: string, attachment: Attachment): Promise<void> {
  const response = await requestRaw(
    `/evidence/${id(evidenceId)}/attachments/${id(attachment.id)}`,
    { headers: { Accept: '*/*' } },
  );
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = attachment.filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
