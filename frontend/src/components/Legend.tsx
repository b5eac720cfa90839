import { SEGMENT_ORDER } from '../lib/coverage';
import { KSB_STATUS_LABELS } from '../lib/format';

/** Key to the status colours (each also written on the cells and in the figures). */
export function Legend() {
  return (
    <ul className="app-legend" aria-label="Key">
      {SEGMENT_ORDER.map((status) => (
        <li className="app-legend__item" key={status}>
          <span className={`app-legend__swatch app-status--${status}`} aria-hidden="true" />
          {KSB_STATUS_LABELS[status]}
        </li>
      ))}
    </ul>
  );
}
