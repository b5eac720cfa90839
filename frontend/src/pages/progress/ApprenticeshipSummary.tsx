import type { Apprenticeship } from '../../api/types';
import { formatDate } from '../../lib/format';

export function ApprenticeshipSummary({ apprenticeship }: { apprenticeship: Apprenticeship }) {
  const rows: [string, string][] = [
    ['Apprentice', apprenticeship.apprentice.name],
    ['Standard', apprenticeship.standard],
    ['Employer', `${apprenticeship.employer.name} (mentor: ${apprenticeship.mentor.name})`],
    ['Training provider', `${apprenticeship.provider.name} (tutor: ${apprenticeship.tutor.name})`],
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
