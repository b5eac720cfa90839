import type { Apprenticeship, Standard } from '../api/types';

/**
 * Shown wherever an apprenticeship's KSBs are listed or picked when the catalogue at hand is
 * not the version the apprenticeship follows, so no one reads another version's statements as
 * their own without being told.
 */
export function CatalogueVersionNotice({ standard, apprenticeship }: { standard: Standard; apprenticeship: Pick<Apprenticeship, 'standard' | 'standard_version'> }) {
  if (standard.reference === apprenticeship.standard && standard.version === apprenticeship.standard_version) return null;
  return (
    <div className="nhsuk-warning-callout" data-testid="catalogue-version">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>Another version of the standard
        </span>
      </h2>
      <p>
        This apprenticeship follows {apprenticeship.standard} version {apprenticeship.standard_version}. The KSB
        statements shown here are from version {standard.version}, and may be worded differently.
      </p>
    </div>
  );
}
