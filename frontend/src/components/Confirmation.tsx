/**
 * A confirmation of what just happened ("Evidence accepted."), shown where the person is
 * working. It takes focus when it appears, so a screen reader announces it and the keyboard
 * continues from there; after a route change it wins over the page heading (routeFocus.ts).
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function Confirmation({ children, testId }: { children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  // Once, when it appears; a new message is a new confirmation (give it a new `key`).
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div className="nhsuk-inset-text app-confirmation" role="status" tabIndex={-1} ref={ref} data-route-focus="" data-testid={testId}>
      <span className="nhsuk-u-visually-hidden">Information: </span>
      {children}
    </div>
  );
}
