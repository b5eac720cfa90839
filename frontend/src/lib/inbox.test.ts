import { describe, expect, it } from 'vitest';
import { INBOX_KINDS } from '../api/types';
import { INBOX_ACTIONS, INBOX_KIND_LABELS, waitingLabel, waitingOn } from './inbox';

describe('inbox words', () => {
  it('says how long an item has waited in whole days', () => {
    expect(waitingLabel(0)).toBe('Today');
    expect(waitingLabel(1)).toBe('1 day');
    expect(waitingLabel(12)).toBe('12 days');
  });

  it('says who holds a caseload row’s oldest open item', () => {
    expect(waitingOn('employer', 4)).toBe('Waiting on the employer for 4 days');
    expect(waitingOn('provider', 0)).toBe('Waiting on the training provider since today');
    expect(waitingOn(null, null)).toBe('Nothing waiting');
  });

  it('has a label and an action for every kind', () => {
    for (const kind of INBOX_KINDS) {
      expect(INBOX_KIND_LABELS[kind]).not.toBe('');
      expect(INBOX_ACTIONS[kind]).not.toBe('');
    }
  });
});
