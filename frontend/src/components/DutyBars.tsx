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
import { Body, Cell, Head, Row, RowHeader, Table } from './Table';

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
    <Table scroll captionId="duty-table-caption" testId="duty-table" caption="Progress by duty (number of KSBs)">
      <Head
        columns={[
          'Duty',
          { label: 'Signed off', numeric: true },
          { label: 'Evidenced', numeric: true },
          { label: 'In progress', numeric: true },
          { label: 'Not started', numeric: true },
          { label: 'KSBs', numeric: true },
          { label: 'Signed off %', numeric: true },
          { label: 'Evidenced or signed off %', numeric: true },
          elapsed && { label: 'Time elapsed %', numeric: true },
        ]}
      />
      <Body>
        {duties.map((duty) => (
          <Row key={duty.code} data-duty={duty.code}>
            <RowHeader>
              {duty.code}
            </RowHeader>
            <Cell numeric>{duty.signed_off}</Cell>
            <Cell numeric>{duty.evidenced}</Cell>
            <Cell numeric>{duty.in_progress}</Cell>
            <Cell numeric>{duty.not_started}</Cell>
            <Cell numeric>{dutyTotal(duty)}</Cell>
            <Cell numeric>{Math.round(duty.percent_signed_off)}%</Cell>
            <Cell numeric>{Math.round(duty.percent_evidenced)}%</Cell>
            {elapsed && <Cell numeric>{elapsed.percent}%</Cell>}
          </Row>
        ))}
      </Body>
    </Table>
  );
}
