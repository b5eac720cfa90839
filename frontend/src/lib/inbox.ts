/** Words for inbox items: what each kind asks of the person, and how long it has waited. */
import type { InboxKind, ReviewParty } from '../api/types';

export const INBOX_KIND_LABELS: Record<InboxKind, string> = {
  ksb_ready: 'KSB ready to sign off',
  evidence_to_review: 'Evidence to review',
  evidence_sent_back: 'Evidence sent back for changes',
  otj_to_approve: 'Off-the-job time to approve',
  otj_rejected: 'Off-the-job time not approved',
  review_due: 'Progress review due soon',
  review_overdue: 'Progress review overdue',
  review_to_sign: 'Progress review to sign',
};

/** The verb of each item's link: the link's text is "{verb} {subject}". */
export const INBOX_ACTIONS: Record<InboxKind, string> = {
  ksb_ready: 'Sign off',
  evidence_to_review: 'Review',
  evidence_sent_back: 'Change',
  otj_to_approve: 'Decide on',
  otj_rejected: 'See why:',
  review_due: 'Record the review:',
  review_overdue: 'Record the review:',
  review_to_sign: 'Sign',
};

/** "Today", "1 day", "12 days". */
export function waitingLabel(days: number): string {
  if (days <= 0) return 'Today';
  return days === 1 ? '1 day' : `${days} days`;
}

/** Items waiting this long or longer are marked as long waits (in words, not only colour). */
export const LONG_WAIT_DAYS = 14;

const PARTY_WORDS: Record<ReviewParty, string> = {
  apprentice: 'the apprentice',
  employer: 'the employer',
  provider: 'the training provider',
};

/** A caseload row's oldest open item: "Waiting on the employer for 4 days". */
export function waitingOn(party: ReviewParty | null | undefined, days: number | null | undefined): string {
  if (party == null) return 'Nothing waiting';
  const d = days ?? 0;
  return `Waiting on ${PARTY_WORDS[party]} ${d <= 0 ? 'since today' : `for ${waitingLabel(d)}`}`;
}
