/**
 * Provider caseload: every apprentice with their plan status (red / amber / green, thresholds
 * written on the page), flags in words, per-duty percentages as a heatmap (numbers always
 * printed), sortable columns, and filters for plan, inactivity and lifecycle stage. The table
 * is the NHS responsive table: below the desktop breakpoint each apprentice is a stack of
 * "column: value" lines, so nothing is off-screen on a phone.
 * Each apprentice's standing on progress reviews (overdue, due soon, unsigned) has its column
 * and filters.
 */
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { CaseloadItem, ListScope } from '../../api/types';
import { STANDARD_REFERENCE } from '../../api/standards';
import { Checkbox, Select, TextInput } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { ProvisionalNotice } from '../../components/ProvisionalNotice';
import { Body, Cell, ColumnHeader, Head, Row, RowHeader, Table } from '../../components/Table';
import { ReviewFilters, ReviewStanding } from '../../components/ReviewStanding';
import { ScopeSwitch, whose } from '../../components/ScopeSwitch';
import { EmptyState, QueryView } from '../../components/QueryState';
import { useCaseload, useNewestStandard } from '../../hooks/queries';
import {
  elapsedPercent,
  evidencedPercent,
  filterCaseload,
  heatBucket,
  INACTIVE_DAYS,
  isInactive,
  lifecycle,
  NEAR_END_DAYS,
  NEW_DAYS,
  PLAN_THRESHOLDS,
  planStatus,
  pointsBehind,
  sortCaseload,
  type CaseloadSortKey,
  type Lifecycle,
  type PlanStatus,
  type SortDirection,
} from '../../lib/caseload';
import { overallSignedOff } from '../../lib/coverage';
import { daysBetween, formatLondonDate, londonDay, relativeDay } from '../../lib/dates';
import { formatDate } from '../../lib/format';
import { waitingOn } from '../../lib/inbox';
import { filterByReviewStanding, NO_REVIEW_FILTER } from '../../lib/reviews';

type Measure = 'percent_signed_off' | 'percent_evidenced';

const PLAN_LABELS: Record<PlanStatus, { word: string; tag: string }> = {
  red: { word: 'Red', tag: 'nhsuk-tag--red' },
  amber: { word: 'Amber', tag: 'nhsuk-tag--yellow' },
  green: { word: 'Green', tag: 'nhsuk-tag--green' },
};

const STAGE_LABELS: Record<Exclude<Lifecycle, 'on_programme'>, string> = {
  new: `New (started in the last ${NEW_DAYS} days)`,
  near_end: `Near end (expected end within ${NEAR_END_DAYS} days)`,
  past_end: 'Past expected end',
};

function SortHeader({
  label,
  column,
  sort,
  onSort,
}: {
  label: string;
  column: CaseloadSortKey;
  sort: { key: CaseloadSortKey; direction: SortDirection };
  onSort: (key: CaseloadSortKey) => void;
}) {
  const active = sort.key === column;
  return (
    <ColumnHeader aria-sort={active ? sort.direction : 'none'}>
      <button type="button" className="app-button-as-link" onClick={() => onSort(column)}>
        {label}
        <span className="nhsuk-u-visually-hidden">, sort {active && sort.direction === 'ascending' ? 'descending' : 'ascending'}</span>
        {active && <span aria-hidden="true">{sort.direction === 'ascending' ? ' ▲' : ' ▼'}</span>}
      </button>
    </ColumnHeader>
  );
}

/** What the plan colours mean, written out beside the table. */
function PlanKey() {
  return (
    <div className="nhsuk-inset-text" data-testid="plan-thresholds">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>Plan compares the share of KSBs evidenced (accepted or signed off) with the share of the planned time that has passed:</p>
      <ul className="nhsuk-list nhsuk-list--bullet nhsuk-u-margin-bottom-0">
        <li>
          <strong>Red</strong>: more than {PLAN_THRESHOLDS.red} percentage points behind
        </li>
        <li>
          <strong>Amber</strong>: more than {PLAN_THRESHOLDS.amber} and up to {PLAN_THRESHOLDS.red} points behind
        </li>
        <li>
          <strong>Green</strong>: {PLAN_THRESHOLDS.amber} points behind or less, or ahead
        </li>
      </ul>
    </div>
  );
}

export default function CaseloadPage() {
  const [scope, setScope] = useState<ListScope>('mine');
  const query = useCaseload('progress', scope);
  const standard = useNewestStandard(STANDARD_REFERENCE);
  const [filter, setFilter] = useState<{ behindPlan: boolean; inactive: boolean; name: string; lifecycle: Lifecycle | '' }>({ behindPlan: false, inactive: false, name: '', lifecycle: '' });
  const [sort, setSort] = useState<{ key: CaseloadSortKey; direction: SortDirection }>({ key: 'progress', direction: 'ascending' });
  const [measure, setMeasure] = useState<Measure>('percent_signed_off');
  const [reviewFilter, setReviewFilter] = useState(NO_REVIEW_FILTER);
  const today = useMemo(() => new Date(), []);
  const stageCounts = useMemo(() => {
    const counts: Record<Lifecycle, number> = { new: 0, near_end: 0, past_end: 0, on_programme: 0 };
    for (const item of query.data?.items ?? []) counts[lifecycle(item, today)] += 1;
    return counts;
  }, [query.data, today]);

  function onSort(key: CaseloadSortKey) {
    setSort((s) => ({ key, direction: s.key === key && s.direction === 'ascending' ? 'descending' : 'ascending' }));
  }

  return (
    <>
      <PageHeading title="Caseload" />
      <ProvisionalNotice mapping={standard.data?.mapping} />
      <ScopeSwitch id="caseload-scope" value={scope} onChange={setScope} mineLabel="Apprentices I tutor" organisationLabel="Everyone at my provider" />
      <form className="app-filters" aria-label="Filter caseload" onSubmit={(e) => e.preventDefault()}>
        <TextInput id="caseload-name" label="Apprentice name" value={filter.name} onChange={(e) => setFilter({ ...filter, name: e.target.value })} />
        <Select
          id="caseload-stage"
          label="Stage"
          value={filter.lifecycle}
          onChange={(e) => setFilter({ ...filter, lifecycle: e.target.value as Lifecycle | '' })}
          options={[
            { value: '', label: 'All stages' },
            ...(Object.keys(STAGE_LABELS) as (keyof typeof STAGE_LABELS)[]).map((stage) => ({
              value: stage,
              label: `${STAGE_LABELS[stage]}: ${stageCounts[stage]}`,
            })),
          ]}
        />
        <Select
          id="caseload-measure"
          label="Duty figures show"
          value={measure}
          onChange={(e) => setMeasure(e.target.value as Measure)}
          options={[
            { value: 'percent_signed_off', label: '% of KSBs signed off' },
            { value: 'percent_evidenced', label: '% of KSBs evidenced' },
          ]}
        />
        <div className="nhsuk-form-group">
          <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
            <Checkbox id="caseload-behind" label="Behind plan only" hint="Red or amber" checked={filter.behindPlan} onChange={(e) => setFilter({ ...filter, behindPlan: e.target.checked })} />
            <Checkbox id="caseload-inactive" label={`No activity for ${INACTIVE_DAYS} days`} checked={filter.inactive} onChange={(e) => setFilter({ ...filter, inactive: e.target.checked })} />
          </div>
        </div>
        <ReviewFilters id="caseload-review" value={reviewFilter} onChange={setReviewFilter} />
      </form>
      <PlanKey />
      <QueryView query={query} label="Loading caseload">
        {(page) => {
          const rows = sortCaseload(filterByReviewStanding(filterCaseload(page.items, filter, today), reviewFilter), sort.key, sort.direction);
          if (page.items.length === 0) {
            return <EmptyState>{scope === 'mine' ? 'You are not the tutor of any apprentice yet.' : 'Your provider has no apprentices yet.'}</EmptyState>;
          }
          const dutyCodes = page.items[0]?.duties.map((d) => d.code) ?? [];
          return (
            <>
              <p className="nhsuk-body-s" aria-live="polite">
                Showing {rows.length} of {whose(page.items.length, 'apprentices', scope)}
              </p>
              {rows.length === 0 ? (
                <EmptyState>No apprentices match these filters.</EmptyState>
              ) : (
                <Table
                  responsive
                  scroll
                  className="app-table--compact"
                  testId="caseload"
                  captionId="caseload-caption"
                  caption={`Caseload: plan, flags, and per-duty ${measure === 'percent_signed_off' ? 'percent signed off' : 'percent evidenced'}`}
                >
                  <Head>
                    <SortHeader label="Apprentice" column="name" sort={sort} onSort={onSort} />
                    <SortHeader label="Plan" column="plan" sort={sort} onSort={onSort} />
                    <ColumnHeader>Flags</ColumnHeader>
                    <ColumnHeader>Progress reviews</ColumnHeader>
                    <ColumnHeader>Evidenced</ColumnHeader>
                    <SortHeader label="Signed off" column="progress" sort={sort} onSort={onSort} />
                    <ColumnHeader>Time elapsed</ColumnHeader>
                    {dutyCodes.map((code) => (
                    <ColumnHeader numeric key={code}>
                      {code}
                    </ColumnHeader>
                    ))}
                    <SortHeader label="Expected end" column="expected_end_date" sort={sort} onSort={onSort} />
                    <SortHeader label="Last activity" column="last_activity" sort={sort} onSort={onSort} />
                  </Head>
                  <Body>
                    {rows.map((item) => (
                      <CaseloadRow key={item.apprenticeship_id} item={item} dutyCodes={dutyCodes} measure={measure} today={today} />
                    ))}
                  </Body>
                </Table>
              )}
            </>
          );
        }}
      </QueryView>
    </>
  );
}

function PlanCell({ item }: { item: CaseloadItem }) {
  const status = planStatus(item);
  const behind = Math.round(pointsBehind(item));
  const { word, tag } = PLAN_LABELS[status];
  return (
    <>
      <strong className={`nhsuk-tag ${tag}`}>{word}</strong>{' '}
      <span className="app-nowrap">{behind > 0 ? `${behind} points behind` : behind < 0 ? `${-behind} points ahead` : 'on plan'}</span>
    </>
  );
}

function Flags({ item, today }: { item: CaseloadItem; today: Date }) {
  const flags: { text: string; tag: string }[] = [];
  if (isInactive(item, today)) flags.push({ text: 'No recent activity', tag: 'nhsuk-tag--orange' });
  const stage = lifecycle(item, today);
  if (stage === 'new') flags.push({ text: 'New', tag: 'nhsuk-tag--blue' });
  if (stage === 'near_end') {
    const days = daysBetween(londonDay(today), item.expected_end_date);
    flags.push({ text: days === 0 ? 'Ends today' : `Ends in ${days} day${days === 1 ? '' : 's'}`, tag: 'nhsuk-tag--purple' });
  }
  if (stage === 'past_end') flags.push({ text: 'Past expected end', tag: 'nhsuk-tag--red' });
  if (flags.length === 0) return <>None</>;
  return (
    <ul className="app-flags">
      {flags.map((f) => (
        <li key={f.text}>
          <strong className={`nhsuk-tag ${f.tag}`}>{f.text}</strong>
        </li>
      ))}
    </ul>
  );
}

function CaseloadRow({ item, dutyCodes, measure, today }: { item: CaseloadItem; dutyCodes: string[]; measure: Measure; today: Date }) {
  return (
    <Row data-apprenticeship={item.apprenticeship_id}>
      <RowHeader heading="Apprentice">
        <Link to={`/apprenticeships/${item.apprenticeship_id}`}>{item.apprentice.name}</Link>
      </RowHeader>
      <Cell heading="Plan">
        <PlanCell item={item} />
      </Cell>
      <Cell heading="Flags">
        <Flags item={item} today={today} />
      </Cell>
      <Cell heading="Progress reviews">
        <ReviewStanding standing={item} who={item.apprentice.name} reviewsHref={`/apprenticeships/${item.apprenticeship_id}/reviews`} />
      </Cell>
      <Cell heading="Evidenced" className="app-nowrap">{Math.round(evidencedPercent(item))}%</Cell>
      <Cell heading="Signed off" className="app-nowrap">{overallSignedOff(item.totals)}%</Cell>
      <Cell heading="Time elapsed" className="app-nowrap">{elapsedPercent(item, today)}%</Cell>
      {dutyCodes.map((code) => {
        const value = Math.round(item.duties.find((d) => d.code === code)?.[measure] ?? 0);
        return (
          <Cell heading={code} className={`app-heat app-heat--${heatBucket(value)}`} key={code}>
            {value}%
          </Cell>
        );
      })}
      <Cell heading="Expected end">
        <span className="app-nowrap">{formatDate(item.expected_end_date)}</span>
        <br />
        {/* The end date, the OTJ plan, the mentor and the tutor are changed on one page. */}
        <Link className="nhsuk-body-s" to={`/apprenticeships/${item.apprenticeship_id}/change`}>
          Change<span className="nhsuk-u-visually-hidden"> the plan, people or expected end of {item.apprentice.name}</span>
        </Link>
      </Cell>
      <Cell heading="Last activity">
        <span className="app-nowrap">{relativeDay(item.last_activity_at, today)}</span>{' '}
        <span className="app-nowrap">({formatLondonDate(item.last_activity_at)})</span>
        <br />
        <span className="nhsuk-body-s" data-testid="waiting-on">
          {waitingOn(item.waiting_on, item.waiting_days)}
        </span>
      </Cell>
    </Row>
  );
}
