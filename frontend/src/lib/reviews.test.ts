import { describe, expect, it } from 'vitest';
import type { ReviewStanding } from '../api/types';
import { dueText, filterByReviewStanding, previousActionsText, toReviewInput, validateReview, type ReviewDraft } from './reviews';

const standing = (over: Partial<ReviewStanding & { name: string }> = {}): ReviewStanding & { name: string } => ({
  name: 'x',
  review_state: 'on_time',
  unsigned_reviews: 0,
  unsigned_overdue: false,
  on_break: false,
  next_review_due_by: '2026-03-31',
  last_review_on: null,
  ...over,
});

const draft = (over: Partial<ReviewDraft> = {}): ReviewDraft => ({
  held_on: '2026-08-01',
  previous_actions: '',
  progress_notes: '',
  concerns: '',
  next_actions: [],
  ...over,
});

describe('progress review rules in the browser', () => {
  it('carries the previous review’s next actions forward, one line each', () => {
    expect(previousActionsText(undefined)).toBe('');
    expect(
      previousActionsText({
        next_actions: [
          { action: 'Log two observations', owner: 'apprentice', due_on: '2026-09-01' },
          { action: 'Arrange a ward visit', owner: 'employer', due_on: '2026-09-15' },
        ],
      }),
    ).toBe('Log two observations (Apprentice, by 1 September 2026)\nArrange a ward visit (Employer, by 15 September 2026)');
  });

  it('asks for the date held and each action’s owner and due date under the server’s field names', () => {
    const errors = validateReview(draft({ held_on: '', next_actions: [{ key: 0, action: 'Read SOP', owner: '', due_on: '' }] }));
    expect(Object.keys(errors)).toEqual(['held_on', 'next_actions[0].owner', 'next_actions[0].due_on']);
    expect(validateReview(draft({ next_actions: [{ key: 3, action: '', owner: 'provider', due_on: '2026-09-01' }] }))).toEqual({});
  });

  it('sends the actions without their form keys', () => {
    const input = toReviewInput(draft({ next_actions: [{ key: 7, action: 'Read SOP', owner: 'provider', due_on: '2026-09-01' }] }));
    expect(input.next_actions).toEqual([{ action: 'Read SOP', owner: 'provider', due_on: '2026-09-01' }]);
  });

  it('filters rows by review state and by unsigned reviews like the server’s caseload filters', () => {
    const rows = [standing({ name: 'late', review_state: 'overdue' }), standing({ name: 'unsigned', unsigned_reviews: 1 }), standing({ name: 'fine' })];
    const names = (f: Parameters<typeof filterByReviewStanding>[1]) => filterByReviewStanding(rows, f).map((r) => r.name);
    expect(names({ state: '', unsigned: false })).toEqual(['late', 'unsigned', 'fine']);
    expect(names({ state: 'overdue', unsigned: false })).toEqual(['late']);
    expect(names({ state: '', unsigned: true })).toEqual(['unsigned']);
    expect(names({ state: 'overdue', unsigned: true })).toEqual([]);
  });

  it('says when the next review is due, or that a break holds the deadline', () => {
    expect(dueText(standing())).toBe('Due by 31 March 2026');
    expect(dueText(standing({ on_break: true, next_review_due_by: null }))).toBe('On a break in learning: no review falls due');
  });
});
