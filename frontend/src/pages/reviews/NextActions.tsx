/**
 * The review's next actions: a repeatable group of what is to be done, by whom and by when.
 * Field ids follow the index so the error summary can link to the server's
 * `next_actions[i].part` errors.
 */
import { useEffect, useRef } from 'react';
import { REVIEW_PARTIES, type ReviewParty } from '../../api/types';
import { Select, TextInput } from '../../components/Fields';
import { PARTY_LABELS, type ActionDraft } from '../../lib/reviews';

export const actionIds = (i: number) => ({
  action: `review-action-${i}`,
  owner: `review-action-${i}-owner`,
  due_on: `review-action-${i}-due`,
});
export const ADD_ACTION_ID = 'review-add-action';

export function NextActions({
  actions,
  onChange,
  error,
}: {
  actions: ActionDraft[];
  onChange: (actions: ActionDraft[]) => void;
  /** the message for one part of one action, by its server field name */
  error: (field: string) => string | undefined;
}) {
  const added = useRef(false);
  useEffect(() => {
    // After "Add an action", move to the new action's first field.
    if (added.current) {
      added.current = false;
      document.getElementById(actionIds(actions.length - 1).action)?.focus();
    }
  }, [actions.length]);
  const update = (index: number, change: Partial<ActionDraft>) =>
    onChange(actions.map((a, i) => (i === index ? { ...a, ...change } : a)));
  const add = () => {
    added.current = true;
    const key = actions.reduce((max, a) => Math.max(max, a.key), -1) + 1;
    onChange([...actions, { key, action: '', owner: '', due_on: '' }]);
  };
  return (
    <fieldset className="nhsuk-fieldset nhsuk-u-margin-bottom-5" aria-describedby="review-actions-hint">
      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
        <h2 className="nhsuk-fieldset__heading">Next actions</h2>
      </legend>
      <div className="nhsuk-hint" id="review-actions-hint">
        What was agreed, who does it and by when. The next review starts from these.
      </div>
      {actions.length === 0 && <p>No actions yet.</p>}
      {actions.map((a, i) => {
        const ids = actionIds(i);
        const field = (part: 'action' | 'owner' | 'due_on') => `next_actions[${i}].${part}`;
        return (
          <div className="nhsuk-card nhsuk-u-margin-bottom-4" key={a.key} data-testid="next-action">
            <div className="nhsuk-card__content">
              <h3 className="nhsuk-heading-s">Action {i + 1}</h3>
              <TextInput id={ids.action} label={`What is to be done (action ${i + 1})`} value={a.action} onChange={(e) => update(i, { action: e.target.value })} error={error(field('action'))} />
              <Select
                id={ids.owner}
                label={`Who does it (action ${i + 1})`}
                value={a.owner}
                onChange={(e) => update(i, { owner: e.target.value as ReviewParty | '' })}
                options={[{ value: '', label: 'Choose who' }, ...REVIEW_PARTIES.map((p) => ({ value: p, label: PARTY_LABELS[p] }))]}
                error={error(field('owner'))}
              />
              <TextInput id={ids.due_on} label={`Due by (action ${i + 1})`} type="date" className="nhsuk-input--width-10" value={a.due_on} onChange={(e) => update(i, { due_on: e.target.value })} error={error(field('due_on'))} />
              <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" onClick={() => onChange(actions.filter((_, j) => j !== i))}>
                Remove action {i + 1}
              </button>
            </div>
          </div>
        );
      })}
      <button type="button" id={ADD_ACTION_ID} className="nhsuk-button nhsuk-button--secondary" onClick={add}>
        Add {actions.length === 0 ? 'an' : 'another'} action
      </button>
    </fieldset>
  );
}
