import { describe, expect, it } from 'vitest';
import { INBOX_KINDS } from '../api/types';
import { INBOX_ACTIONS, INBOX_KIND_LABELS, waitingLabel } from './inbox';

describe('inbox words', () => {
  it('says how long an item has waited in whole days', () => {
    expect(waitingLabel(0)).toBe('Today');
    expect(waitingLabel(1)).toBe('1 day');
    expect(waitingLabel(12)).toBe('12 days');
  });

  it('has a label and an action for every kind', () => {
    for (const kind of INBOX_KINDS) {
      expect(INBOX_KIND_LABELS[kind]).not.toBe('');
      expect(INBOX_ACTIONS[kind]).not.toBe('');
    }
  });
});
