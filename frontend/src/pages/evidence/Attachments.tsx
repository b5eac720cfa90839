/** Files attached to evidence: list, download (authenticated fetch), upload and, while editable, removal. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { downloadAttachment, removeAttachment, uploadAttachment } from '../../api/evidence';
import type { Attachment } from '../../api/types';
import { ErrorSummary, fieldError } from '../../components/ErrorSummary';
import { EmptyState, QueryView } from '../../components/QueryState';
import { invalidate, useAttachments } from '../../hooks/queries';
import { formatBytes, formatDateTime } from '../../lib/format';

export function Attachments({ evidenceId, apprenticeshipId, canUpload }: { evidenceId: string; apprenticeshipId: string; canUpload: boolean }) {
  const query = useAttachments(evidenceId);
  const queryClient = useQueryClient();
  const fileInput = useRef<HTMLInputElement>(null);
  const [missing, setMissing] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>(null);

  const upload = useMutation({
    mutationFn: (file: File) => uploadAttachment(evidenceId, file),
    onSuccess: async () => {
      if (fileInput.current) fileInput.current.value = '';
      await invalidate.evidence(queryClient, { apprenticeshipId, evidenceId });
    },
  });

  function handleUpload(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    setMissing(file === undefined);
    if (file) upload.mutate(file);
  }

  const [removed, setRemoved] = useState<string | null>(null);
  const removal = useMutation({
    mutationFn: async (attachment: Attachment) => {
      await removeAttachment(evidenceId, attachment.id);
      return attachment;
    },
    onMutate: () => setRemoved(null),
    onSuccess: async (attachment) => {
      setRemoved(`Removed ${attachment.filename}.`);
      // A removal makes a new version (and revision) of the evidence.
      await invalidate.evidence(queryClient, { apprenticeshipId, evidenceId });
    },
  });

  async function download(attachment: Attachment) {
    setDownloadError(null);
    try {
      await downloadAttachment(evidenceId, attachment);
    } catch (e) {
      setDownloadError(e);
    }
  }

  const uploadMessage = missing ? 'Choose a file to upload' : fieldError(upload.error, 'file');

  return (
    <section aria-labelledby="attachments-title">
      <h2 id="attachments-title">Files</h2>
      {missing ? (
        <ErrorSummary items={[{ href: '#attachment-file', message: 'Choose a file to upload' }]} />
      ) : (
        <ErrorSummary error={upload.error ?? removal.error ?? downloadError} fieldIds={{ file: 'attachment-file' }} />
      )}
      {removed && (
        <div className="nhsuk-inset-text" role="status" tabIndex={-1} ref={(el) => el?.focus()}>
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{removed}</p>
        </div>
      )}
      <QueryView query={query} label="Loading files">
        {(files) =>
          files.length === 0 ? (
            <EmptyState>No files attached.</EmptyState>
          ) : (
            <ul className="nhsuk-list" data-testid="attachments">
              {files.map((f) => (
                <li key={f.id}>
                  <button type="button" className="app-button-as-link" onClick={() => void download(f)}>
                    Download {f.filename}
                  </button>{' '}
                  ({formatBytes(f.size)}, added {formatDateTime(f.created_at)})
                  {canUpload && (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="app-button-as-link"
                        disabled={removal.isPending}
                        onClick={() => removal.mutate(f)}
                      >
                        Remove{' '}<span className="nhsuk-u-visually-hidden">{f.filename}</span>
                      </button>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
      {canUpload && (
        <form onSubmit={handleUpload} noValidate>
          <div className={`nhsuk-form-group${uploadMessage ? ' nhsuk-form-group--error' : ''}`}>
            <label className="nhsuk-label" htmlFor="attachment-file">
              Add a file
            </label>
            <div className="nhsuk-hint" id="attachment-file-hint">
              Photos, PDFs or documents. Remove anything that identifies a patient first.
            </div>
            {uploadMessage && (
              <span className="nhsuk-error-message" id="attachment-file-error">
                <span className="nhsuk-u-visually-hidden">Error:</span> {uploadMessage}
              </span>
            )}
            <input
              className="nhsuk-file-upload"
              id="attachment-file"
              name="file"
              type="file"
              ref={fileInput}
              aria-describedby={`attachment-file-hint${uploadMessage ? ' attachment-file-error' : ''}`}
            />
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={upload.isPending}>
            {upload.isPending ? 'Uploading…' : 'Upload file'}
          </button>
        </form>
      )}
    </section>
  );
}
