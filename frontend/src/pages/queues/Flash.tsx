import { useLocation } from 'react-router';
import { Confirmation } from '../../components/Confirmation';

/** A one-off message passed in navigation state ("Evidence accepted."), which takes focus. */
export function Flash() {
  const message = (useLocation().state as { message?: string } | null)?.message;
  if (!message) return null;
  return (
    <Confirmation testId="flash">
      <p>{message}</p>
    </Confirmation>
  );
}
