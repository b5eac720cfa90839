/**
 * What a review's snapshot holds: coverage totals, each duty's percentages and the off-the-job
 * time against the plan. Before a review is recorded it shows the figures as they stand now
 * (the server takes the same figures when it saves); afterwards, the snapshot as taken.
 */
import type { CoverageTotals, OtjSummary } from '../../api/types';
import { formatMinutes, PLAN_STATUS_LABELS } from '../../lib/otj';
import { Body, Cell, Head, Row, RowHeader, Table } from '../../components/Table';

interface DutyFigures {
  code: string;
  percent_evidenced: number;
  percent_signed_off: number;
}

function Rows({ rows }: { rows: [string, string][] }) {
  return (
    <Body>
      {rows.map(([label, value]) => (
        <Row key={label}>
          <RowHeader>{label}</RowHeader>
          <Cell>{value}</Cell>
        </Row>
      ))}
    </Body>
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
      <Table caption="KSBs by status">
        <Rows
          rows={[
            ['Signed off', of(totals.signed_off)],
            ['Evidenced', of(totals.evidenced)],
            ['In progress', of(totals.in_progress)],
            ['Not started', of(totals.not_started)],
          ]}
        />
      </Table>
      {duties.length > 0 && (
        <Table scroll captionId={`${idPrefix}-duties-caption`} caption="Progress by duty (percent of the duty's KSBs)">
          <Head columns={['Duty', { label: 'Evidenced or signed off', numeric: true }, { label: 'Signed off', numeric: true }]} />
          <Body>
            {duties.map((d) => (
              <Row key={d.code}>
                <RowHeader>{d.code}</RowHeader>
                <Cell numeric>{Math.round(d.percent_evidenced)}%</Cell>
                <Cell numeric>{Math.round(d.percent_signed_off)}%</Cell>
              </Row>
            ))}
          </Body>
        </Table>
      )}
      <Table testId="snapshot-otj" caption="Off-the-job training">
        <Rows
          rows={[
            ['Status', PLAN_STATUS_LABELS[otj.status]],
            ['Planned', otj.planned_minutes === null || otj.planned_minutes === undefined ? 'Not set' : formatMinutes(otj.planned_minutes)],
            ['Approved', formatMinutes(otj.approved_minutes)],
            ['Waiting for approval', formatMinutes(otj.pending_minutes)],
            ['Expected by now', formatMinutes(otj.expected_by_now_minutes)],
          ]}
        />
      </Table>
    </section>
  );
}
