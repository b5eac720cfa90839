/**
 * Focus management on route change (WCAG 2.4.3): after client-side navigation, focus moves to
 * the new page's h1 so screen readers announce it and Tab starts from the top of the content.
 * Lazy pages may render their h1 after the route changes, so the request waits for it.
 */
let pending = false;

export function requestRouteFocus(): void {
  pending = true;
  const heading = document.querySelector<HTMLElement>('main h1');
  if (heading) {
    pending = false;
    heading.focus();
  } else {
    document.getElementById('maincontent')?.focus();
  }
}

/** Called by a page heading when it mounts. */
export function claimRouteFocus(element: HTMLElement | null): void {
  if (pending && element) {
    pending = false;
    element.focus();
  }
}
