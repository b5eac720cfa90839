/** Previous / next for `{items,total,limit,offset}` lists. */
export function Pagination({
  total,
  limit,
  offset,
  onChange,
}: {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
}) {
  if (total <= limit) return null;
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <nav className="nhsuk-pagination" aria-label="Pagination">
      <p className="nhsuk-body-s">
        Page {page} of {pages} ({total} in total)
      </p>
      <div className="app-inline-actions">
        {offset > 0 && (
          <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => onChange(Math.max(0, offset - limit))}>
            Previous page
          </button>
        )}
        {offset + limit < total && (
          <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => onChange(offset + limit)}>
            Next page
          </button>
        )}
      </div>
    </nav>
  );
}
