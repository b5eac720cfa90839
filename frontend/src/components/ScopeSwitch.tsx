/**
 * "Mine" or "whole organisation" for the queues and the caseload. The server defaults to mine
 * (the apprenticeships where you are the tutor or the mentor); this switch asks for the rest.
 */
import type { ListScope } from '../api/types';

interface Props {
  id: string;
  value: ListScope;
  onChange: (scope: ListScope) => void;
  /** "apprentices" or "items": what the counts are of. */
  mineLabel: string;
  organisationLabel: string;
}

export function ScopeSwitch({ id, value, onChange, mineLabel, organisationLabel }: Props) {
  const options: { scope: ListScope; label: string }[] = [
    { scope: 'mine', label: mineLabel },
    { scope: 'organisation', label: organisationLabel },
  ];
  return (
    <div className="nhsuk-form-group">
      <fieldset className="nhsuk-fieldset">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Show</legend>
        <div className="nhsuk-radios nhsuk-radios--inline nhsuk-radios--small">
          {options.map((o) => (
            <div className="nhsuk-radios__item" key={o.scope}>
              <input
                className="nhsuk-radios__input"
                id={`${id}-${o.scope}`}
                name={id}
                type="radio"
                value={o.scope}
                checked={value === o.scope}
                onChange={() => onChange(o.scope)}
              />
              <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${id}-${o.scope}`}>
                {o.label}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

/** "3 of your apprentices", "12 apprentices at your organisation". */
export function whose(count: number, noun: string, scope: ListScope): string {
  return scope === 'mine' ? `${count} of your ${noun}` : `${count} ${noun} at your organisation`;
}
