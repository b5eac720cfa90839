import type { MappingInfo } from '../api/types';

/**
 * Shown wherever duties appear while the duty↔KSB links are provisional: one plain sentence,
 * and what it means for the person on demand.
 */
export function ProvisionalNotice({ mapping }: { mapping: MappingInfo | undefined }) {
  if (mapping?.status !== 'provisional') return null;
  return (
    <div className="nhsuk-inset-text" data-testid="provisional-mapping">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>The duty figures are provisional: which KSBs count towards each duty may still change.</p>
      <details className="nhsuk-details nhsuk-u-margin-bottom-0">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">What this means for you</span>
        </summary>
        <div className="nhsuk-details__text">
          <p>
            Each duty of the apprenticeship standard is shown by a set of KSBs (knowledge, skills and behaviours). The
            official list of which KSBs belong to which duty has not been published yet, so the duties here use a
            provisional list made from the standard.
          </p>
          <p className="nhsuk-u-margin-bottom-0">
            Your evidence and sign-offs are recorded against KSBs, not duties, so nothing you have done is lost if the
            list changes. Only the figures for each duty may go up or down.
          </p>
        </div>
      </details>
    </div>
  );
}
