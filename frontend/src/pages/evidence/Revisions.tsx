/** Earlier versions of the evidence, fetched only when the reader opens the section. */
import { useState } from 'react';
import { EmptyState, QueryView } from '../../components/QueryState';
import { useRevisions } from '../../hooks/queries';
import { EVIDENCE_STATUS_LABELS, formatDateTime, kindLabel } from '../../lib/format';

export function Revisions({ evidenceId }: { evidenceId: string }) {
  const [open, setOpen] = useState(false);
  const query = useRevisions(evidenceId, open);
  return (
    <details className="nhsuk-details" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">Revision history</span>
      </summary>
      <div className="nhsuk-details__text">
        {open && (
          <QueryView query={query} label="Loading revisions">
            {(revisions) =>
              revisions.length === 0 ? (
                <EmptyState>No earlier versions.</EmptyState>
              ) : (
                <ol className="nhsuk-list" data-testid="revisions">
                  {revisions.map((r) => (
                    <li key={r.version}>
                      <strong>Version {r.version}</strong>, {formatDateTime(r.created_at)} by {r.author.name} (
                      {EVIDENCE_STATUS_LABELS[r.status]}): {r.title} – {kindLabel(r.kind)}, KSBs {r.ksbs.join(', ')}
                      {r.note ? `. ${r.note}` : ''}
                    </li>
                  ))}
                </ol>
              )
            }
          </QueryView>
        )}
      </div>
    </details>
  );
}
