import { useLocation } from 'react-router';

/** A one-off message passed in navigation state ("Evidence accepted."). */
export function Flash() {
  const message = (useLocation().state as { message?: string } | null)?.message;
  if (!message) return null;
  return (
    <div className="nhsuk-inset-text" role="status">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>{message}</p>
    </div>
  );
}
