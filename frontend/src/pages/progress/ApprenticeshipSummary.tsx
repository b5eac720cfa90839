import { Link } from 'react-router';
import type { Apprenticeship } from '../../api/types';
import { formatDate, nameOf } from '../../lib/format';

function plan(a: Apprenticeship): string {
  if (a.planned_otj_hours === null || a.planned_otj_hours === undefined) return 'No plan set yet';
  const rpl = a.rpl_reduction_hours;
  return `${a.planned_otj_hours} hours planned${rpl > 0 ? ` (${rpl} hours of recognised prior learning)` : ''}`;
}

/** Where the portfolio came from or went: an imported one names its previous provider. */
function movedFromOrTo(a: Apprenticeship): [string, string][] {
  const origin = a.origin as { provider?: { name?: string }; exported_at?: string } | null | undefined;
  const from = origin?.provider?.name;
  const rows: [string, string][] = [];
  if (origin && from) rows.push(['Imported from', `${from}${origin.exported_at ? ` (portfolio exported ${formatDate(origin.exported_at.slice(0, 10))})` : ''}`]);
  if (a.status === 'transferred') rows.push(['Status', `Transferred${a.ended_at ? ` on ${formatDate(a.ended_at.slice(0, 10))}` : ''}: the apprentice moved to another training provider. This portfolio is kept read-only.`]);
  return rows;
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
    ...movedFromOrTo(apprenticeship),
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
      {changeHref && apprenticeship.status !== 'transferred' && (
        <p>
          <Link to={changeHref}>
            Change the plan, mentor, tutor or expected end date<span className="nhsuk-u-visually-hidden"> of {nameOf(apprenticeship.apprentice, 'this apprenticeship')}</span>
          </Link>
        </p>
      )}
    </>
  );
}
