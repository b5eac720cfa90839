/** A short list of evidence (title linked, then type and date): what backs a KSB's sign-off. */
import { Link } from 'react-router';
import type { EvidenceKind } from '../api/types';
import { formatDate, kindLabel } from '../lib/format';

export interface EvidenceLink {
  id: string;
  title: string;
  kind: EvidenceKind;
  occurred_on: string;
}

export function EvidenceLinks({ items, className = 'nhsuk-list' }: { items: EvidenceLink[]; className?: string }) {
  return (
    <ul className={className}>
      {items.map((e) => (
        <li key={e.id} className="nhsuk-u-margin-bottom-1">
          <Link to={`/evidence/${e.id}`}>{e.title}</Link>
          <br />
          <span className="nhsuk-body-s">
            {kindLabel(e.kind)}, {formatDate(e.occurred_on)}
          </span>
        </li>
      ))}
    </ul>
  );
}
