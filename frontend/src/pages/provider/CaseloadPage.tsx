/**
 * Provider caseload: every apprentice with per-duty percentages as a heatmap (numbers always
 * printed), sortable columns, filters for behind plan and no recent activity, and each
 * apprentice's standing on progress reviews (overdue, due soon, unsigned) with its filters.
 */
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { CaseloadItem, ListScope } from '../../api/types';
import { Checkbox, Select, TextInput } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { ProvisionalNotice } from '../../components/ProvisionalNotice';
import { ReviewFilters, ReviewStandingCell } from '../../components/ReviewStanding';
import { ScopeSwitch, whose } from '../../components/ScopeSwitch';
import { EmptyState, QueryView } from '../../components/QueryState';
import { useCaseload, useStandard } from '../../hooks/queries';
import {
  daysSinceActivity,
  elapsedPercent,
  filterCaseload,
  heatBucket,
  INACTIVE_DAYS,
  isBehindPlan,
  isInactive,
  sortCaseload,
  type CaseloadSortKey,
  type SortDirection,
} from '../../lib/caseload';
import { overallSignedOff } from '../../lib/coverage';
import { formatDate } from '../../lib/format';
import { filterByReviewStanding, NO_REVIEW_FILTER } from '../../lib/reviews';

type Measure = 'percent_signed_off' | 'percent_evidenced';

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
    <th className="nhsuk-table__header" scope="col" aria-sort={active ? sort.direction : 'none'}>
      <button type="button" className="app-button-as-link" onClick={() => onSort(column)}>
        {label}
        <span className="nhsuk-u-visually-hidden">, sort {active && sort.direction === 'ascending' ? 'descending' : 'ascending'}</span>
        {active && <span aria-hidden="true">{sort.direction === 'ascending' ? ' ▲' : ' ▼'}</span>}
      </button>
    </th>
  );
}

export default function CaseloadPage() {
  const [scope, setScope] = useState<ListScope>('mine');
  const query = useCaseload('progress', scope);
  const standard = useStandard();
  const [filter, setFilter] = useState({ behindPlan: false, inactive: false, name: '' });
  const [sort, setSort] = useState<{ key: CaseloadSortKey; direction: SortDirection }>({ key: 'progress', direction: 'ascending' });
  const [measure, setMeasure] = useState<Measure>('percent_signed_off');
  const [reviewFilter, setReviewFilter] = useState(NO_REVIEW_FILTER);
  const today = useMemo(() => new Date(), []);

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
            <Checkbox id="caseload-behind" label="Behind plan only" hint="Signed off less than the share of time elapsed" checked={filter.behindPlan} onChange={(e) => setFilter({ ...filter, behindPlan: e.target.checked })} />
            <Checkbox id="caseload-inactive" label={`No activity for ${INACTIVE_DAYS} days`} checked={filter.inactive} onChange={(e) => setFilter({ ...filter, inactive: e.target.checked })} />
          </div>
        </div>
        <ReviewFilters id="caseload-review" value={reviewFilter} onChange={setReviewFilter} />
      </form>
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
                <div className="app-table-scroll" tabIndex={0} role="region" aria-labelledby="caseload-caption">
                  <table className="nhsuk-table app-table--compact" data-testid="caseload">
                    <caption className="nhsuk-table__caption nhsuk-table__caption--s" id="caseload-caption">
                      Caseload: overall and per-duty {measure === 'percent_signed_off' ? 'percent signed off' : 'percent evidenced'}
                    </caption>
                    <thead className="nhsuk-table__head">
                      <tr className="nhsuk-table__row">
                        <SortHeader label="Apprentice" column="name" sort={sort} onSort={onSort} />
                        <SortHeader label="Signed off" column="progress" sort={sort} onSort={onSort} />
                        <th className="nhsuk-table__header" scope="col">Time elapsed</th>
                        {dutyCodes.map((code) => (
                          <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col" key={code}>
                            {code}
                          </th>
                        ))}
                        <SortHeader label="Expected end" column="expected_end_date" sort={sort} onSort={onSort} />
                        <SortHeader label="Last activity" column="last_activity" sort={sort} onSort={onSort} />
                        <th className="nhsuk-table__header" scope="col">Progress reviews</th>
                        <th className="nhsuk-table__header" scope="col">Flags</th>
                      </tr>
                    </thead>
                    <tbody className="nhsuk-table__body">
                      {rows.map((item) => (
                        <CaseloadRow key={item.apprenticeship_id} item={item} dutyCodes={dutyCodes} measure={measure} today={today} />
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </QueryView>
    </>
  );
}

function CaseloadRow({ item, dutyCodes, measure, today }: { item: CaseloadItem; dutyCodes: string[]; measure: Measure; today: Date }) {
  const behind = isBehindPlan(item, today);
  const inactive = isInactive(item, today);
  return (
    <tr className="nhsuk-table__row" data-apprenticeship={item.apprenticeship_id}>
      <th className="nhsuk-table__header" scope="row">
        <Link to={`/apprenticeships/${item.apprenticeship_id}`}>{item.apprentice.name}</Link>
      </th>
      <td className="nhsuk-table__cell app-nowrap">{overallSignedOff(item.totals)}%</td>
      <td className="nhsuk-table__cell app-nowrap">{elapsedPercent(item, today)}%</td>
      {dutyCodes.map((code) => {
        const value = Math.round(item.duties.find((d) => d.code === code)?.[measure] ?? 0);
        return (
          <td className={`nhsuk-table__cell app-heat app-heat--${heatBucket(value)}`} key={code}>
            {value}%
          </td>
        );
      })}
      <td className="nhsuk-table__cell app-nowrap">{formatDate(item.expected_end_date)}</td>
      <td className="nhsuk-table__cell app-nowrap">
        {formatDate(item.last_activity_at)} ({ago(daysSinceActivity(item, today))})
      </td>
      <ReviewStandingCell standing={item} who={item.apprentice.name} reviewsHref={`/apprenticeships/${item.apprenticeship_id}/reviews`} />
      <td className="nhsuk-table__cell">
        {behind && <strong className="nhsuk-tag nhsuk-tag--red">Behind plan</strong>} {inactive && <strong className="nhsuk-tag nhsuk-tag--orange">No recent activity</strong>}
        {!behind && !inactive && 'None'}
      </td>
    </tr>
  );
}

function ago(days: number): string {
  if (days <= 0) return 'today';
  return days === 1 ? '1 day ago' : `${days} days ago`;
}
