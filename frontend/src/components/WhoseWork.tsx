/** Whose work a page is about: the apprentice and the apprenticeship, as a short summary list. */
import type { Apprenticeship } from '../api/types';
import { formatDate, nameOf } from '../lib/format';

export function WhoseWork({ apprenticeship, standardTitle }: { apprenticeship: Apprenticeship; standardTitle?: string }) {
  const standard = `${standardTitle ? `${standardTitle} ` : ''}(${apprenticeship.standard} version ${apprenticeship.standard_version})`;
  return (
    <dl className="nhsuk-summary-list app-summary-list--tight" data-testid="whose-work">
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Apprentice</dt>
        <dd className="nhsuk-summary-list__value">{nameOf(apprenticeship.apprentice)}</dd>
      </div>
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Apprenticeship</dt>
        <dd className="nhsuk-summary-list__value">
          {standard}, {formatDate(apprenticeship.start_date)} to {formatDate(apprenticeship.expected_end_date)}
        </dd>
      </div>
    </dl>
  );
}
