/** Evidence, its workflow, revisions, comments and attachments. */
import { answer, api, body, creating, ifMatch, versioned } from './client';
import { saveBlob } from './download';
import type {
  Attachment,
  Comment,
  Evidence,
  EvidenceFilters,
  EvidenceInput,
  EvidenceUpdate,
  Page,
  PageQuery,
  Revision,
  ReviewDecision,
} from './types';
import { uploadWithProgress, type UploadProgress } from './upload';

/** Evidence plus the ETag the server sent, needed for If-Match on PATCH. */
export interface VersionedEvidence {
  evidence: Evidence;
  etag: string;
}

function evidencePath(evidenceId: string) {
  return { params: { path: { id: evidenceId } } };
}

async function withEtag(pending: ReturnType<typeof versioned<Evidence>>): Promise<VersionedEvidence> {
  const { data, etag } = await pending;
  return { evidence: data, etag };
}

export function listEvidence(apprenticeshipId: string, filters: EvidenceFilters & PageQuery = {}): Promise<Page<Evidence>> {
  const { status, kind, ...rest } = filters;
  // '' is the filter form's "any": no parameter at all.
  const query = { ...rest, status: status === '' ? undefined : status, kind: kind === '' ? undefined : kind };
  return body(api.GET('/api/v1/apprenticeships/{id}/evidence', { params: { path: { id: apprenticeshipId }, query } }));
}

export function createEvidence(apprenticeshipId: string, evidence: EvidenceInput): Promise<Evidence> {
  return body(api.POST('/api/v1/apprenticeships/{id}/evidence', { params: creating({ id: apprenticeshipId }), body: evidence }));
}

export function getEvidence(evidenceId: string): Promise<VersionedEvidence> {
  return withEtag(versioned(api.GET('/api/v1/evidence/{id}', evidencePath(evidenceId))));
}

/** PATCH with If-Match: 412 when someone changed it meanwhile, 428 if the ETag is missing. */
export function updateEvidence(evidenceId: string, etag: string, update: EvidenceUpdate): Promise<VersionedEvidence> {
  return withEtag(versioned(api.PATCH('/api/v1/evidence/{id}', { params: ifMatch({ id: evidenceId }, etag), body: update })));
}

export async function deleteEvidence(evidenceId: string): Promise<void> {
  await body(api.DELETE('/api/v1/evidence/{id}', evidencePath(evidenceId)));
}

export function submitEvidence(evidenceId: string): Promise<Evidence> {
  return body(api.POST('/api/v1/evidence/{id}/submit', evidencePath(evidenceId)));
}

export function withdrawEvidence(evidenceId: string, reason: string): Promise<Evidence> {
  return body(api.POST('/api/v1/evidence/{id}/withdraw', { ...evidencePath(evidenceId), body: { reason } }));
}

export function reviewEvidence(evidenceId: string, decision: ReviewDecision, feedback: string): Promise<Evidence> {
  return body(api.POST('/api/v1/evidence/{id}/review', { ...evidencePath(evidenceId), body: { decision, feedback } }));
}

/** Every earlier version, oldest first (`{items}`, not paged). */
export async function listRevisions(evidenceId: string): Promise<Revision[]> {
  return (await body(api.GET('/api/v1/evidence/{id}/revisions', evidencePath(evidenceId)))).items;
}

/** Every comment, oldest first (`{items}`, not paged). */
export async function listComments(evidenceId: string): Promise<Comment[]> {
  return (await body(api.GET('/api/v1/evidence/{id}/comments', evidencePath(evidenceId)))).items;
}

export function addComment(evidenceId: string, text: string): Promise<Comment> {
  return body(
    api.POST('/api/v1/evidence/{id}/comments', { params: { path: { id: evidenceId } }, body: { body: text } }),
  );
}

export async function listAttachments(evidenceId: string): Promise<Attachment[]> {
  return (await body(api.GET('/api/v1/evidence/{id}/attachments', evidencePath(evidenceId)))).items;
}

/** Upload one file (multipart part `file`), reporting how much of it has been sent. */
export function uploadAttachment(evidenceId: string, file: File, onProgress?: (progress: UploadProgress) => void): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file);
  return uploadWithProgress('/api/v1/evidence/{id}/attachments', { id: evidenceId }, form, onProgress);
}

function attachmentPath(evidenceId: string, attachmentId: string) {
  return { params: { path: { id: evidenceId, attachment_id: attachmentId } } };
}

/** Remove an attachment of editable evidence; resolves to the evidence's new ETag. */
export async function removeAttachment(evidenceId: string, attachmentId: string): Promise<string | null> {
  const { response } = await answer(api.DELETE('/api/v1/evidence/{id}/attachments/{attachment_id}', attachmentPath(evidenceId, attachmentId)));
  return response.headers.get('etag');
}

/** Downloads the file with the bearer token (`saveBlob`: a plain link could not send it). */
export async function downloadAttachment(evidenceId: string, attachment: Attachment): Promise<void> {
  const bytes = await body(
    api.GET('/api/v1/evidence/{id}/attachments/{attachment_id}', {
      ...attachmentPath(evidenceId, attachment.id),
      headers: { Accept: '*/*' },
      parseAs: 'blob',
    }),
  );
  saveBlob(bytes, attachment.filename);
}
