import { useEffect, useRef, type ReactNode } from 'react';
import { claimRouteFocus } from './routeFocus';

/** Sets the document title ("Title – ksbfolio") so each route announces itself. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – ksbfolio`;
  }, [title]);
}

/** The page's h1 (focus target on route change) and its document title. */
export function PageHeading({ title, caption, children }: { title: string; caption?: string; children?: ReactNode }) {
  useDocumentTitle(caption ? `${title} – ${caption}` : title);
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => claimRouteFocus(ref.current), []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {caption && <span className="nhsuk-caption-l">{caption}<span className="nhsuk-u-visually-hidden"> – </span></span>}
      {children ?? title}
    </h1>
  );
}
