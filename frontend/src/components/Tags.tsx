/** Status tags: the words carry the meaning; the colour only repeats it. */
import type { EvidenceStatus, KsbStatus } from '../api/types';
import { EVIDENCE_STATUS_LABELS, KSB_STATUS_LABELS } from '../lib/format';

const EVIDENCE_TAG: Record<EvidenceStatus, string> = {
  draft: 'nhsuk-tag--grey',
  submitted: 'nhsuk-tag--blue',
  accepted: 'nhsuk-tag--green',
  changes_requested: 'nhsuk-tag--orange',
  withdrawn: 'nhsuk-tag--white',
};

const KSB_TAG: Record<KsbStatus, string> = {
  signed_off: 'nhsuk-tag--green',
  evidenced: 'nhsuk-tag--blue',
  in_progress: 'nhsuk-tag--yellow',
  not_started: 'nhsuk-tag--grey',
};

export function EvidenceStatusTag({ status }: { status: EvidenceStatus }) {
  return <strong className={`nhsuk-tag ${EVIDENCE_TAG[status]}`}>{EVIDENCE_STATUS_LABELS[status]}</strong>;
}

export function KsbStatusTag({ status }: { status: KsbStatus }) {
  return <strong className={`nhsuk-tag ${KSB_TAG[status]}`}>{KSB_STATUS_LABELS[status]}</strong>;
}
