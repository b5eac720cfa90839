/**
 * Progress reviews in words and as form data: labels, the previous review's actions carried
 * into the next one, the form's own checks, and the caseload's review filters. The deadline
 * rule itself stays on the server (`review_state` comes with every row); nothing here
 * recomputes it.
 */
import type { NextAction, ProgressReview, ReviewInput, ReviewParty, ReviewStanding, ReviewState } from '../api/types';
import { formatDate } from './format';

export const PARTY_LABELS: Record<ReviewParty, string> = {
  apprentice: 'Apprentice',
  employer: 'Employer',
  provider: 'Training provider',
};

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
  on_time: 'Review on time',
  due_soon: 'Review due soon',
  overdue: 'Review overdue',
};

/** One next action as typed: every part may still be empty. */
export interface ActionDraft {
  /** stable React key, never sent */
  key: number;
  action: string;
  owner: ReviewParty | '';
  due_on: string;
}

export interface ReviewDraft {
  held_on: string;
  previous_actions: string;
  progress_notes: string;
  concerns: string;
  next_actions: ActionDraft[];
}

/** The previous review's next actions, one line each, to be followed up at this one. */
export function previousActionsText(previous: Pick<ProgressReview, 'next_actions'> | undefined): string {
  if (!previous) return '';
  return previous.next_actions
    .map((a) => `${a.action} (${PARTY_LABELS[a.owner]}, by ${formatDate(a.due_on)})`)
    .join('\n');
}

export function draftFromReview(review: ProgressReview): ReviewDraft {
  return {
    held_on: review.held_on,
    previous_actions: review.previous_actions,
    progress_notes: review.progress_notes,
    concerns: review.concerns,
    next_actions: review.next_actions.map((a, i) => ({ key: i, ...a })),
  };
}

/** The server's name for one part of one action (`next_actions[1].due_on`). */
export function actionField(index: number, part: 'action' | 'owner' | 'due_on'): string {
  return `next_actions[${index}].${part}`;
}

/**
 * What the form checks before sending: only what the server cannot be asked (an empty date or
 * owner would not even parse). Dates against the start and the future, and empty actions, are
 * the server's to judge; its messages come back per field.
 */
export function validateReview(draft: ReviewDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (draft.held_on === '') errors.held_on = 'Enter the date the review was held';
  draft.next_actions.forEach((a, i) => {
    if (a.owner === '') errors[actionField(i, 'owner')] = `Choose who owns action ${i + 1}`;
    if (a.due_on === '') errors[actionField(i, 'due_on')] = `Enter the date action ${i + 1} is due`;
  });
  return errors;
}

/** The request body; call only after `validateReview` found nothing. */
export function toReviewInput(draft: ReviewDraft): ReviewInput {
  const next_actions: NextAction[] = draft.next_actions.map((a) => ({
    action: a.action,
    owner: a.owner === '' ? 'apprentice' : a.owner,
    due_on: a.due_on,
  }));
  return {
    held_on: draft.held_on,
    previous_actions: draft.previous_actions,
    progress_notes: draft.progress_notes,
    concerns: draft.concerns,
    next_actions,
  };
}

export interface ReviewFilter {
  state: ReviewState | '';
  /** only apprenticeships with a review not yet signed by all three */
  unsigned: boolean;
}

export const NO_REVIEW_FILTER: ReviewFilter = { state: '', unsigned: false };

/** Like the server's `review_state` and `unsigned=true` caseload filters, over loaded rows. */
export function filterByReviewStanding<T extends ReviewStanding>(items: readonly T[], filter: ReviewFilter): T[] {
  return items.filter(
    (item) => (filter.state === '' || item.review_state === filter.state) && (!filter.unsigned || item.unsigned_reviews > 0),
  );
}

/** "Due by 31 March 2026", or why no review is due. */
export function dueText(standing: ReviewStanding): string {
  if (standing.on_break) return 'On a break in learning: no review falls due';
  if (!standing.next_review_due_by) return 'No review due';
  return `Due by ${formatDate(standing.next_review_due_by)}`;
}
