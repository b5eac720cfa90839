import type { KsbStatus } from '../api/types';
import { SEGMENT_ORDER } from '../lib/coverage';
import { KSB_STATUS_LABELS } from '../lib/format';

/** What each status means, in the words of the portfolio's rule (domain::coverage::ksb_status). */
export const KSB_STATUS_DEFINITIONS: Record<KsbStatus, string> = {
  signed_off: 'the workplace mentor has signed the KSB off',
  evidenced: 'the training provider has accepted evidence for it; it is waiting for sign-off',
  in_progress: 'there is evidence for it (a draft, submitted, or sent back for changes), none accepted yet',
  not_started: 'no evidence for it yet',
};

/** Key to the status colours, each with its meaning (the status is also written on the cells and in the figures). */
export function Legend() {
  return (
    <ul className="app-legend" aria-label="What the statuses mean">
      {SEGMENT_ORDER.map((status) => (
        <li className="app-legend__item" key={status}>
          <span className={`app-legend__swatch app-status--${status}`} aria-hidden="true" />
          <span>
            <strong>{KSB_STATUS_LABELS[status]}</strong>: {KSB_STATUS_DEFINITIONS[status]}
          </span>
        </li>
      ))}
    </ul>
  );
}
