/** Evidence, its workflow, revisions, comments and attachments. */
import { request, requestRaw, requestWithMeta, uploadWithProgress, type UploadProgress } from './client';
import type {
  Attachment,
  Comment,
  Evidence,
  EvidenceFilters,
  EvidenceInput,
  EvidenceUpdate,
  ItemList,
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

/** The ETag header, or the same value built from `version` (the document says they agree). */
function etagOf(response: { data: Evidence; headers: Headers }): string {
  return response.headers.get('etag') ?? `"${response.data.version}"`;
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
  return { evidence: response.data, etag: etagOf(response) };
}

/** PATCH with If-Match: 412 when someone changed it meanwhile, 428 if the ETag is missing. */
export async function updateEvidence(
  evidenceId: string,
  etag: string | null,
  body: EvidenceUpdate,
): Promise<VersionedEvidence> {
  const response = await requestWithMeta<Evidence>(`/evidence/${id(evidenceId)}`, {
    method: 'PATCH',
    body,
    headers: etag === null ? {} : { 'If-Match': etag },
  });
  return { evidence: response.data, etag: etagOf(response) };
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

/** Every earlier version, oldest first (`{items}`, not paged). */
export async function listRevisions(evidenceId: string): Promise<Revision[]> {
  return (await request<ItemList<Revision>>(`/evidence/${id(evidenceId)}/revisions`)).items;
}

/** Every comment, oldest first (`{items}`, not paged). */
export async function listComments(evidenceId: string): Promise<Comment[]> {
  return (await request<ItemList<Comment>>(`/evidence/${id(evidenceId)}/comments`)).items;
}

export function addComment(evidenceId: string, body: string): Promise<Comment> {
  return request<Comment>(`/evidence/${id(evidenceId)}/comments`, { method: 'POST', body: { body } });
}

export async function listAttachments(evidenceId: string): Promise<Attachment[]> {
  return (await request<ItemList<Attachment>>(`/evidence/${id(evidenceId)}/attachments`)).items;
}

/** Upload one file (multipart part `file`), reporting how much of it has been sent. */
export function uploadAttachment(
  evidenceId: string,
  file: File,
  onProgress?: (progress: UploadProgress) => void,
): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file);
  return uploadWithProgress<Attachment>(`/evidence/${id(evidenceId)}/attachments`, form, onProgress);
}

/** Remove an attachment of editable evidence; resolves to the evidence's new ETag. */
export async function removeAttachment(evidenceId: string, attachmentId: string): Promise<string | null> {
  const response = await requestWithMeta<undefined>(
    `/evidence/${id(evidenceId)}/attachments/${id(attachmentId)}`,
    { method: 'DELETE' },
  );
  return response.headers.get('etag');
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
