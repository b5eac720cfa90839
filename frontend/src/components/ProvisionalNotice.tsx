import type { MappingInfo } from '../api/types';

/** Shown wherever duties appear while the duty↔KSB links are provisional. */
export function ProvisionalNotice({ mapping }: { mapping: MappingInfo | undefined }) {
  if (mapping?.status !== 'provisional') return null;
  return (
    <div className="nhsuk-inset-text" data-testid="provisional-mapping">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>
        <strong>Provisional duty mapping.</strong> {mapping.note}
      </p>
    </div>
  );
}
