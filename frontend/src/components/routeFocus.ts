/**
 * Focus management on route change (WCAG 2.4.3): after client-side navigation, focus moves to
 * the new page's h1 so screen readers announce it and Tab starts from the top of the content.
 * Lazy pages may render their h1 after the route changes, so the request waits for it. A
 * confirmation of what just happened (`data-route-focus`, see Confirmation) goes before the h1:
 * it is what the person needs to hear first.
 */
function target(): HTMLElement | null {
  return document.querySelector<HTMLElement>('main [data-route-focus]') ?? document.querySelector<HTMLElement>('main h1');
}

let pending = false;

export function requestRouteFocus(): void {
  pending = true;
  const heading = target();
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
    (target() ?? element).focus();
  }
}
