/**
 * Focus management on route change (WCAG 2.4.3): after client-side navigation, focus moves to
 * the new page's h1 so screen readers announce it and Tab starts from the top of the content.
 * Lazy pages may render their h1 after the route changes, so the request waits for it. A page
 * that arrives with a confirmation of what just happened ("Submitted for review") marks it
 * `data-focus-on-arrival`, and focus goes there instead, so the person hears the outcome.
 */
let pending = false;

function arrival(): HTMLElement | null {
  return document.querySelector<HTMLElement>('main [data-focus-on-arrival]');
}

export function requestRouteFocus(): void {
  pending = true;
  const heading = arrival() ?? document.querySelector<HTMLElement>('main h1');
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
    (arrival() ?? element).focus();
  }
}
