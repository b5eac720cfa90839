import { Link } from 'react-router';
import type { Apprenticeship } from '../../api/types';
import { formatDate, nameOf } from '../../lib/format';

function plan(a: Apprenticeship): string {
  if (a.planned_otj_hours === null || a.planned_otj_hours === undefined) return 'No plan set yet';
  const rpl = a.rpl_reduction_hours;
  return `${a.planned_otj_hours} hours planned${rpl > 0 ? ` (${rpl} hours of recognised prior learning)` : ''}`;
}

/**
 * Who and what the apprenticeship is, for everyone but the apprentice; `changeHref` (for the
 * provider's staff and administrators) links to the page that changes the plan, the people and
 * the expected end date.
 */
export function ApprenticeshipSummary({ apprenticeship, changeHref }: { apprenticeship: Apprenticeship; changeHref?: string }) {
  const rows: [string, string][] = [
    ['Apprentice', nameOf(apprenticeship.apprentice)],
    ['Standard', `${apprenticeship.standard} version ${apprenticeship.standard_version}`],
    ['Employer', `${nameOf(apprenticeship.employer)} (mentor: ${nameOf(apprenticeship.mentor)})`],
    ['Training provider', `${nameOf(apprenticeship.provider)} (tutor: ${nameOf(apprenticeship.tutor)})`],
    ['Planned period', `${formatDate(apprenticeship.start_date)} to ${formatDate(apprenticeship.expected_end_date)}${apprenticeship.on_break ? ' (on a break in learning)' : ''}`],
    ['Off-the-job plan', plan(apprenticeship)],
  ];
  return (
    <>
      <dl className="nhsuk-summary-list" data-testid="apprenticeship-summary">
        {rows.map(([key, value]) => (
          <div className="nhsuk-summary-list__row" key={key}>
            <dt className="nhsuk-summary-list__key">{key}</dt>
            <dd className="nhsuk-summary-list__value">{value}</dd>
          </div>
        ))}
      </dl>
      {changeHref && (
        <p>
          <Link to={changeHref}>
            Change the plan, mentor, tutor or expected end date<span className="nhsuk-u-visually-hidden"> of {nameOf(apprenticeship.apprentice, 'this apprenticeship')}</span>
          </Link>
        </p>
      )}
    </>
  );
}
