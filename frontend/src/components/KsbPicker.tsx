/**
 * Choose the KSBs a piece of evidence shows. Grouped by duty (a KSB listed by several duties
 * appears under each, and ticking one ticks them all), searchable by code or words.
 */
import { useState } from 'react';
import type { Standard } from '../api/types';
import { compareKsbCodes, groupByDuty, searchKsbs } from '../lib/ksbSearch';
import { ProvisionalNotice } from './ProvisionalNotice';

export function KsbPicker({
  id,
  standard,
  selected,
  onChange,
  error,
}: {
  /** id of the search box; the error summary links here */
  id: string;
  standard: Standard;
  selected: readonly string[];
  onChange: (codes: string[]) => void;
  error?: string;
}) {
  const [query, setQuery] = useState('');
  const matches = searchKsbs(standard.ksbs, query);
  const groups = groupByDuty(standard.duties, matches);
  const searching = query.trim() !== '';
  const chosen = new Set(selected);

  function toggle(code: string, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(code);
    else next.delete(code);
    onChange([...next].sort(compareKsbCodes));
  }

  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">KSBs this evidence shows</legend>
        <div className="nhsuk-hint" id={`${id}-hint`}>
          Choose at least one. Search by code (for example S7) or by words from the KSB.
        </div>
        {error && (
          <span className="nhsuk-error-message" id={`${id}-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {error}
          </span>
        )}
        <ProvisionalNotice mapping={standard.mapping} />
        <div className="app-ksb-picker__selected" aria-live="polite" data-testid="ksb-picker-selected">
          {selected.length === 0 ? 'No KSBs chosen yet.' : `Chosen: ${selected.join(', ')}`}
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor={id}>
            Search KSBs
          </label>
          <input
            className={`nhsuk-input nhsuk-u-width-two-thirds${error ? ' nhsuk-input--error' : ''}`}
            id={id}
            type="search"
            value={query}
            autoComplete="off"
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
        <p className="nhsuk-body-s" aria-live="polite">
          {matches.length} of {standard.ksbs.length} KSBs match
        </p>
        <div className="app-ksb-picker__groups">
          {groups.map((group) => {
            const key = group.duty?.code ?? 'none';
            const count = group.ksbs.filter((k) => chosen.has(k.code)).length;
            return (
              <details className="nhsuk-details" key={key} open={searching || undefined}>
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">
                    {group.duty ? `${group.duty.code}: ${group.duty.text}` : 'Not linked to a duty'} ({count} chosen)
                  </span>
                </summary>
                <div className="nhsuk-details__text">
                  <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                    {group.ksbs.map((ksb) => {
                      const boxId = `${id}-${key}-${ksb.code}`;
                      return (
                        <div className="nhsuk-checkboxes__item" key={ksb.code}>
                          <input
                            className="nhsuk-checkboxes__input"
                            id={boxId}
                            name="ksbs"
                            type="checkbox"
                            value={ksb.code}
                            checked={chosen.has(ksb.code)}
                            onChange={(e) => toggle(ksb.code, e.target.checked)}
                          />
                          <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={boxId}>
                            <strong>{ksb.code}</strong> {ksb.text}
                          </label>
                        </div>
                      );
                    })}
                  </div>
                </div>
              </details>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
