/**
 * Where an apprenticeship stands on progress reviews, for the caseload and the apprentices
 * list: the state against the deadline as a tag in words, the date the next review is due by,
 * and how many reviews still wait for signatures. Also the two filters over those figures.
 */
import { Link } from 'react-router';
import { REVIEW_STATES, type ReviewStanding as Standing, type ReviewState } from '../api/types';
import { dueText, REVIEW_STATE_LABELS, type ReviewFilter } from '../lib/reviews';
import { Checkbox, Select } from './Fields';
import { Cell } from './Table';

const TAG: Record<ReviewState, string> = {
  on_time: 'nhsuk-tag nhsuk-tag--green',
  due_soon: 'nhsuk-tag nhsuk-tag--orange',
  overdue: 'nhsuk-tag nhsuk-tag--red',
};

export function ReviewStanding({ standing, reviewsHref, who }: { standing: Standing; reviewsHref?: string; who?: string }) {
  const unsigned = standing.unsigned_reviews;
  return (
    <div className="app-review-standing" data-testid="review-standing">
      {standing.on_break ? <strong className="nhsuk-tag nhsuk-tag--grey">On a break</strong> : <strong className={TAG[standing.review_state]}>{REVIEW_STATE_LABELS[standing.review_state]}</strong>}
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">{dueText(standing)}</p>
      {unsigned > 0 && (
        <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
          <strong className={standing.unsigned_overdue ? 'nhsuk-tag nhsuk-tag--red' : 'nhsuk-tag nhsuk-tag--yellow'}>
            {unsigned === 1 ? '1 unsigned review' : `${unsigned} unsigned reviews`}
          </strong>
          {standing.unsigned_overdue && <span> (one unsigned for over 14 days)</span>}
        </p>
      )}
      {reviewsHref && (
        <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
          <Link to={reviewsHref}>
            Reviews{who && <span className="nhsuk-u-visually-hidden"> of {who}</span>}
          </Link>
        </p>
      )}
    </div>
  );
}

/** A table cell around {@link ReviewStanding}. */
export function ReviewStandingCell({ standing, reviewsHref, who }: { standing: Standing; reviewsHref?: string; who?: string }) {
  return (
    <Cell>
      <ReviewStanding standing={standing} reviewsHref={reviewsHref} who={who} />
    </Cell>
  );
}

/** The review state and "unsigned only" filters, for a filter form. */
export function ReviewFilters({ id, value, onChange }: { id: string; value: ReviewFilter; onChange: (f: ReviewFilter) => void }) {
  return (
    <>
      <Select
        id={`${id}-state`}
        label="Progress review"
        value={value.state}
        onChange={(e) => onChange({ ...value, state: e.target.value as ReviewState | '' })}
        options={[{ value: '', label: 'Any' }, ...REVIEW_STATES.map((s) => ({ value: s, label: REVIEW_STATE_LABELS[s] }))]}
      />
      <div className="nhsuk-form-group">
        <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
          <Checkbox id={`${id}-unsigned`} label="Unsigned reviews only" checked={value.unsigned} onChange={(e) => onChange({ ...value, unsigned: e.target.checked })} />
        </div>
      </div>
    </>
  );
}
