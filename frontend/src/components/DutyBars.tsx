/**
 * Per-duty progress: a stacked bar for each duty with its figures written out, and the same
 * numbers as a table (the chart's twin for screen readers, zoom and print). With `elapsed`, a
 * line across each bar marks the share of the planned time that has passed, and the figures
 * and the table say it in words.
 */
import type { DutyCoverage } from '../api/types';
import { describeCounts, dutyTotal, segments } from '../lib/coverage';
import { formatDate, KSB_STATUS_LABELS } from '../lib/format';
import { Legend } from './Legend';

/** The share of the planned period that has passed, 0–100, and the period. */
export interface Elapsed {
  percent: number;
  from: string;
  to: string;
}

export function DutyBars({ duties, elapsed }: { duties: readonly DutyCoverage[]; elapsed?: Elapsed }) {
  return (
    <>
      <Legend />
      {elapsed && (
        <p data-testid="time-elapsed">
          <span className="app-duty-bars__elapsed-key" aria-hidden="true" />
          The line across each bar marks the time elapsed: {elapsed.percent}% of the planned period ({formatDate(elapsed.from)} to{' '}
          {formatDate(elapsed.to)}) has passed. A duty on plan has at least that share of its KSBs evidenced.
        </p>
      )}
      <ul className="app-duty-bars" data-testid="duty-bars">
        {duties.map((duty) => {
          const parts = segments(duty);
          return (
            <li className="app-duty-bars__item" key={duty.code} data-duty={duty.code}>
              <span className="app-duty-bars__label" id={`duty-${duty.code}-label`}>
                {duty.code}: {duty.text}
              </span>
              {/* The bar repeats the written figures below, so it is hidden from assistive tech. */}
              <div className="app-duty-bars__bar" aria-hidden="true">
                {parts
                  .filter((p) => p.percent > 0)
                  .map((p) => (
                    <div
                      key={p.status}
                      className={`app-duty-bars__segment app-status--${p.status}`}
                      style={{ width: `${p.percent}%` }}
                      title={`${KSB_STATUS_LABELS[p.status]}: ${p.count}`}
                    />
                  ))}
                {elapsed && <div className="app-duty-bars__elapsed" style={{ left: `${elapsed.percent}%` }} data-testid={`duty-${duty.code}-elapsed`} />}
              </div>
              <p className="app-duty-bars__figures" data-testid={`duty-${duty.code}-figures`}>
                {describeCounts(duty)}
                {elapsed && `; time elapsed ${elapsed.percent}%`}
              </p>
            </li>
          );
        })}
      </ul>
      <DutyTable duties={duties} elapsed={elapsed} />
    </>
  );
}

export function DutyTable({ duties, elapsed }: { duties: readonly DutyCoverage[]; elapsed?: Elapsed }) {
  return (
    <div className="app-table-scroll" tabIndex={0} role="region" aria-labelledby="duty-table-caption">
      <table className="nhsuk-table" data-testid="duty-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="duty-table-caption">
          Progress by duty (number of KSBs)
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">Duty</th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">Signed off</th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">Evidenced</th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">In progress</th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">Not started</th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">KSBs</th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">Signed off %</th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">Evidenced or signed off %</th>
            {elapsed && <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">Time elapsed %</th>}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {duties.map((duty) => (
            <tr className="nhsuk-table__row" key={duty.code} data-duty={duty.code}>
              <th className="nhsuk-table__header" scope="row">
                {duty.code}
              </th>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{duty.signed_off}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{duty.evidenced}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{duty.in_progress}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{duty.not_started}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{dutyTotal(duty)}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{Math.round(duty.percent_signed_off)}%</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{Math.round(duty.percent_evidenced)}%</td>
              {elapsed && <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{elapsed.percent}%</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
