/**
 * Uploads with progress. fetch cannot report how much of a request body has been sent
 * (streaming request bodies need HTTP/2 and are Chromium-only), so file uploads go through
 * XMLHttpRequest's upload events, with the same bearer token, one quiet refresh on 401 and
 * problem+json errors as the typed client.
 */
import { endSession, idempotencyKey, refreshSession } from './client';
import { ApiError, errorFromResponse } from './problem';
import type { paths } from './schema';
import { session } from './session';

/** Bytes sent so far of the request body, and its size. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

/** The paths of the document that take a multipart POST. */
export type UploadPath = {
  [P in keyof paths]: paths[P] extends { post: { requestBody: { content: { 'multipart/form-data': unknown } } } } ? P : never;
}[keyof paths];

/** The success body of a multipart POST, as the document states it. */
type Created<P extends UploadPath> = paths[P]['post']['responses'] extends { 201: { content: { 'application/json': infer T } } } ? T : never;

/** `{name}` segments of a document path filled in, each value encoded. */
function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{([^{}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

function sendWithProgress(url: string, form: FormData, key: string, onProgress: (p: UploadProgress) => void): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Idempotency-Key', key);
    const token = session.accessToken();
    if (token !== null) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    };
    xhr.onload = () => {
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const at = line.indexOf(':');
        if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      const status = xhr.status;
      resolve(new Response(status === 204 ? null : xhr.responseText, { status, headers }));
    };
    xhr.onerror = () => reject(new ApiError(0, {}));
    xhr.onabort = () => reject(new ApiError(0, {}));
    xhr.send(form);
  });
}

/** POST a multipart form to a document path, reporting upload progress. */
export async function uploadWithProgress<P extends UploadPath>(
  path: P,
  params: Record<string, string>,
  form: FormData,
  onProgress: (p: UploadProgress) => void = () => undefined,
): Promise<Created<P>> {
  const url = fillPath(path, params);
  const key = idempotencyKey();
  let response = await sendWithProgress(url, form, key, onProgress);
  if (response.status === 401) {
    if (await refreshSession()) response = await sendWithProgress(url, form, key, onProgress);
    if (response.status === 401) endSession();
  }
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as Created<P>;
}
