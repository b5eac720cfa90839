import type { Apprenticeship } from '../../api/types';
import { formatDate, nameOf } from '../../lib/format';

export function ApprenticeshipSummary({ apprenticeship }: { apprenticeship: Apprenticeship }) {
  const rows: [string, string][] = [
    ['Apprentice', nameOf(apprenticeship.apprentice)],
    ['Standard', `${apprenticeship.standard} version ${apprenticeship.standard_version}`],
    ['Employer', `${nameOf(apprenticeship.employer)} (mentor: ${nameOf(apprenticeship.mentor)})`],
    ['Training provider', `${nameOf(apprenticeship.provider)} (tutor: ${nameOf(apprenticeship.tutor)})`],
    ['Planned period', `${formatDate(apprenticeship.start_date)} to ${formatDate(apprenticeship.expected_end_date)}`],
  ];
  return (
    <dl className="nhsuk-summary-list">
      {rows.map(([key, value]) => (
        <div className="nhsuk-summary-list__row" key={key}>
          <dt className="nhsuk-summary-list__key">{key}</dt>
          <dd className="nhsuk-summary-list__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
