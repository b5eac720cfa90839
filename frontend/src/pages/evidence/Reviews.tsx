import type { Review } from '../../api/types';
import { formatDateTime } from '../../lib/format';

export function Reviews({ reviews }: { reviews: Review[] }) {
  if (reviews.length === 0) return null;
  return (
    <section aria-labelledby="reviews-title">
      <h2 id="reviews-title">Reviews</h2>
      <ul className="nhsuk-list" data-testid="reviews">
        {reviews.map((r, i) => (
          <li key={`${r.created_at}-${i}`} className="nhsuk-u-margin-bottom-4">
            <strong>{r.decision === 'accepted' ? 'Accepted' : 'Changes requested'}</strong> by {r.reviewer.name} on{' '}
            {formatDateTime(r.created_at)}
            {r.feedback && <p className="app-pre-wrap nhsuk-u-margin-bottom-0">{r.feedback}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
