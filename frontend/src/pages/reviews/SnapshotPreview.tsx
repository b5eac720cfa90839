/**
 * What a review's snapshot holds: coverage totals, each duty's percentages and the off-the-job
 * time against the plan. Before a review is recorded it shows the figures as they stand now
 * (the server takes the same figures when it saves); afterwards, the snapshot as taken.
 */
import type { CoverageTotals, OtjSummary } from '../../api/types';
import { formatMinutes, PLAN_STATUS_LABELS } from '../../lib/otj';

interface DutyFigures {
  code: string;
  percent_evidenced: number;
  percent_signed_off: number;
}

function Rows({ rows }: { rows: [string, string][] }) {
  return (
    <tbody className="nhsuk-table__body">
      {rows.map(([label, value]) => (
        <tr className="nhsuk-table__row" key={label}>
          <th className="nhsuk-table__header" scope="row">{label}</th>
          <td className="nhsuk-table__cell">{value}</td>
        </tr>
      ))}
    </tbody>
  );
}

export function SnapshotPreview({
  totals,
  duties,
  otj,
  heading,
  intro,
  idPrefix = 'snapshot',
  nested = false,
}: {
  totals: CoverageTotals;
  duties: readonly DutyFigures[];
  otj: OtjSummary;
  heading: string;
  intro: string;
  /** unique per page when several snapshots are shown */
  idPrefix?: string;
  /** inside a review's card: a smaller heading */
  nested?: boolean;
}) {
  const Heading = nested ? 'h4' : 'h2';
  const of = (n: number) => `${n} of ${totals.ksbs}`;
  return (
    <section aria-labelledby={`${idPrefix}-title`} data-testid="snapshot-preview">
      <Heading id={`${idPrefix}-title`}>{heading}</Heading>
      <p>{intro}</p>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">KSBs by status</caption>
        <Rows
          rows={[
            ['Signed off', of(totals.signed_off)],
            ['Evidenced', of(totals.evidenced)],
            ['In progress', of(totals.in_progress)],
            ['Not started', of(totals.not_started)],
          ]}
        />
      </table>
      {duties.length > 0 && (
        <div className="app-table-scroll" tabIndex={0} role="region" aria-labelledby={`${idPrefix}-duties-caption`}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={`${idPrefix}-duties-caption`}>
              Progress by duty (percent of the duty's KSBs)
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">Duty</th>
                <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">Evidenced or signed off</th>
                <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">Signed off</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {duties.map((d) => (
                <tr className="nhsuk-table__row" key={d.code}>
                  <th className="nhsuk-table__header" scope="row">{d.code}</th>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{Math.round(d.percent_evidenced)}%</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{Math.round(d.percent_signed_off)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <table className="nhsuk-table" data-testid="snapshot-otj">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">Off-the-job training</caption>
        <Rows
          rows={[
            ['Status', PLAN_STATUS_LABELS[otj.status]],
            ['Planned', otj.planned_minutes === null || otj.planned_minutes === undefined ? 'Not set' : formatMinutes(otj.planned_minutes)],
            ['Approved', formatMinutes(otj.approved_minutes)],
            ['Waiting for approval', formatMinutes(otj.pending_minutes)],
            ['Expected by now', formatMinutes(otj.expected_by_now_minutes)],
          ]}
        />
      </table>
    </section>
  );
}
