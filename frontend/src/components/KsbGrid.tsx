/**
 * All KSBs of the standard as a grid of links, each coloured by status and labelled with the
 * status in words. Filters: K/S/B, duty, status. A tile's statement shows above the grid while
 * the tile has focus or the pointer (it is also part of the link's name), and "Show statements"
 * expands every tile to show its own.
 */
import { useId, useState } from 'react';
import { Link } from 'react-router';
import type { KsbCoverage, KsbKind, KsbStatus, Standard } from '../api/types';
import { KSB_STATUS_LABELS } from '../lib/format';
import { compareKsbCodes } from '../lib/ksbSearch';
import { Select } from './Fields';
import { Legend } from './Legend';

export interface KsbGridFilter {
  kind: KsbKind | '';
  duty: string;
  status: KsbStatus | '';
}

export function filterGrid(
  standard: Pick<Standard, 'ksbs' | 'duties'>,
  coverage: readonly KsbCoverage[],
  filter: KsbGridFilter,
): { code: string; text: string; status: KsbStatus }[] {
  const statusByCode = new Map(coverage.map((k) => [k.code, k.status]));
  const dutyKsbs = filter.duty ? new Set(standard.duties.find((d) => d.code === filter.duty)?.ksbs ?? []) : null;
  return standard.ksbs
    .map((k) => ({ code: k.code, text: k.text, kind: k.kind, status: statusByCode.get(k.code) ?? 'not_started' }))
    .filter(
      (k) =>
        (filter.kind === '' || k.kind === filter.kind) &&
        (dutyKsbs === null || dutyKsbs.has(k.code)) &&
        (filter.status === '' || k.status === filter.status),
    )
    .sort((a, b) => compareKsbCodes(a.code, b.code))
    .map(({ code, text, status }) => ({ code, text, status }));
}

export function KsbGrid({
  standard,
  coverage,
  apprenticeshipId,
}: {
  standard: Standard;
  coverage: readonly KsbCoverage[];
  apprenticeshipId: string;
}) {
  const [filter, setFilter] = useState<KsbGridFilter>({ kind: '', duty: '', status: '' });
  const prefix = useId();
  const cells = filterGrid(standard, coverage, filter);
  const [expanded, setExpanded] = useState(false);
  const [pointed, setPointed] = useState<{ code: string; text: string } | null>(null);
  return (
    <section aria-labelledby={`${prefix}-title`}>
      <h2 id={`${prefix}-title`}>All KSBs</h2>
      <div className="app-filters">
        <Select
          id={`${prefix}-kind`}
          label="Type"
          value={filter.kind}
          onChange={(e) => setFilter({ ...filter, kind: e.target.value as KsbKind | '' })}
          options={[
            { value: '', label: 'All types' },
            { value: 'knowledge', label: 'Knowledge (K)' },
            { value: 'skill', label: 'Skills (S)' },
            { value: 'behaviour', label: 'Behaviours (B)' },
          ]}
        />
        <Select
          id={`${prefix}-duty`}
          label="Duty"
          value={filter.duty}
          onChange={(e) => setFilter({ ...filter, duty: e.target.value })}
          options={[{ value: '', label: 'All duties' }, ...standard.duties.map((d) => ({ value: d.code, label: d.code }))]}
        />
        <Select
          id={`${prefix}-status`}
          label="Status"
          value={filter.status}
          onChange={(e) => setFilter({ ...filter, status: e.target.value as KsbStatus | '' })}
          options={[
            { value: '', label: 'All statuses' },
            ...(Object.keys(KSB_STATUS_LABELS) as KsbStatus[]).map((s) => ({ value: s, label: KSB_STATUS_LABELS[s] })),
          ]}
        />
      </div>
      <p className="nhsuk-body-s" aria-live="polite">
        Showing {cells.length} of {standard.ksbs.length} KSBs
      </p>
      <Legend />
      <p>
        <button type="button" className="app-button-as-link" aria-pressed={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Hide KSB statements' : 'Show KSB statements'}
        </button>
      </p>
      {!expanded && (
        // The statement is in each link's name already; this repeats it on screen for sighted users.
        <p className="app-ksb-grid__preview" aria-hidden="true" data-testid="ksb-preview">
          {pointed ? (
            <>
              <strong>{pointed.code}</strong>: {pointed.text}
            </>
          ) : (
            'Move to a KSB to read its statement here.'
          )}
        </p>
      )}
      <ul className={`app-ksb-grid${expanded ? ' app-ksb-grid--expanded' : ''}`} data-testid="ksb-grid">
        {cells.map((cell) => (
          <li key={cell.code}>
            <Link
              className={`app-ksb-grid__cell app-status--${cell.status}`}
              to={`/apprenticeships/${apprenticeshipId}/ksbs/${cell.code}`}
              data-ksb={cell.code}
              data-status={cell.status}
              onFocus={() => setPointed(cell)}
              onMouseEnter={() => setPointed(cell)}
            >
              <span className="app-ksb-grid__code">{cell.code}</span>{' '}
              <span className="app-ksb-grid__status">{KSB_STATUS_LABELS[cell.status]}</span>
              <span className={expanded ? 'app-ksb-grid__text' : 'nhsuk-u-visually-hidden'}>
                <span className="nhsuk-u-visually-hidden">: </span>
                {cell.text}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
