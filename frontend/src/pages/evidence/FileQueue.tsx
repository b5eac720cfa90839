/**
 * The files of the evidence form: a drop zone around a file input (several files at once), and
 * one row per file with its progress or its own error, and a Remove button. The form uploads
 * them after saving; files already attached to the evidence are listed above with Remove too.
 */
import { useRef, useState, type DragEvent } from 'react';
import type { Attachment } from '../../api/types';
import { formatBytes } from '../../lib/format';

export type QueuedState = 'waiting' | 'uploading' | 'attached' | 'failed';

export interface QueuedFile {
  key: string;
  file: File;
  state: QueuedState;
  /** bytes sent so far */
  sent: number;
  error?: string;
}

let next = 0;

export function queue(files: Iterable<File>): QueuedFile[] {
  return [...files].map((file) => ({ key: `f${String(++next)}`, file, state: 'waiting', sent: 0 }));
}

/** The id of a queued file's row, for links from the error summary. */
export const queuedId = (key: string) => `file-${key}`;

function percent(item: QueuedFile): number {
  return item.file.size === 0 ? 100 : Math.min(100, Math.round((item.sent / item.file.size) * 100));
}

function StateText({ item }: { item: QueuedFile }) {
  if (item.state === 'uploading') {
    return (
      <>
        <progress className="app-file-queue__progress" max={100} value={percent(item)} aria-label={`Uploading ${item.file.name}`} />{' '}
        {percent(item)}% sent
      </>
    );
  }
  if (item.state === 'attached') return <strong className="nhsuk-tag nhsuk-tag--green">Attached</strong>;
  if (item.state === 'failed') {
    return (
      <span className="nhsuk-error-message nhsuk-u-margin-bottom-0" id={`${queuedId(item.key)}-error`}>
        <span className="nhsuk-u-visually-hidden">Error:</span> {item.file.name} could not be attached: {item.error}
      </span>
    );
  }
  return <>Attached when you save</>;
}

export function FileQueue({
  files,
  attached,
  busy,
  onAdd,
  onRemove,
  onRemoveAttached,
}: {
  files: QueuedFile[];
  /** files already on the evidence (when editing) */
  attached: Attachment[];
  busy: boolean;
  onAdd: (files: File[]) => void;
  onRemove: (key: string) => void;
  onRemoveAttached: (attachment: Attachment) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setOver(false);
    if (!busy && event.dataTransfer.files.length > 0) onAdd([...event.dataTransfer.files]);
  }

  const failed = files.some((f) => f.state === 'failed');
  return (
    <div className={`nhsuk-form-group${failed ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby="evidence-files-hint">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Files</legend>
        <div className="nhsuk-hint" id="evidence-files-hint">
          Photos, PDFs or documents, up to 25 MiB each. Remove anything that identifies a patient first.
        </div>
        {attached.length > 0 && (
          <ul className="nhsuk-list app-file-queue" data-testid="attached-files">
            {attached.map((a) => (
              <li key={a.id} className="app-file-queue__item">
                <span>
                  {a.filename} ({formatBytes(a.size)}) <strong className="nhsuk-tag nhsuk-tag--green">Attached</strong>
                </span>
                <button type="button" className="app-button-as-link" disabled={busy} onClick={() => onRemoveAttached(a)}>
                  Remove{' '}<span className="nhsuk-u-visually-hidden">{a.filename}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <div
          className={`app-drop-zone${over ? ' app-drop-zone--over' : ''}`}
          data-testid="drop-zone"
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={drop}
        >
          <label className="nhsuk-label" htmlFor="evidence-files">
            Drag files here, or choose them
          </label>
          <input
            className="nhsuk-file-upload"
            id="evidence-files"
            name="files"
            type="file"
            multiple
            ref={input}
            disabled={busy}
            aria-describedby="evidence-files-hint"
            onChange={(e) => {
              if (e.target.files && e.target.files.length > 0) onAdd([...e.target.files]);
              e.target.value = '';
            }}
          />
        </div>
        {files.length > 0 && (
          <ul className="nhsuk-list app-file-queue" data-testid="queued-files">
            {files.map((item) => (
              <li key={item.key} id={queuedId(item.key)} tabIndex={-1} className="app-file-queue__item">
                <span>
                  {item.file.name} ({formatBytes(item.file.size)}) <StateText item={item} />
                </span>
                {item.state !== 'attached' && (
                  <button type="button" className="app-button-as-link" disabled={busy} onClick={() => onRemove(item.key)}>
                    Remove{' '}<span className="nhsuk-u-visually-hidden">{item.file.name}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </fieldset>
    </div>
  );
}
