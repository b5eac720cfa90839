// Browser helpers: Debian's Chromium (never a downloaded one), axe on every page, screenshots,
// and the Content-Security-Policy watch. playwright.config.mjs launches the browser with these.
import AxeBuilder from '@axe-core/playwright';

export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
export const CHROMIUM = process.env.KSBFOLIO_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Wait until the SPA has rendered its page: an h1, and no "Loading…" status left. */
export async function settle(page) {
  await page.locator('main h1').first().waitFor({ state: 'visible' });
  await page.waitForFunction(
    () => ![...document.querySelectorAll('[role="status"]')].some((el) => el.textContent?.trim().endsWith('…')),
    undefined,
    { timeout: 15_000 },
  );
}

const checked = [];
const violations = [];
const policyViolations = [];
const policiesSeen = [];

/** Forget what earlier tests saw: each test answers for its own pages. */
export function resetChecks() {
  for (const list of [checked, violations, policyViolations, policiesSeen]) list.length = 0;
}

/**
 * Keep a full-page screenshot of the current page and run axe (WCAG 2.2 A/AA) on it. Violations
 * are collected, not thrown, so one page's problem does not hide the rest of the story; the
 * test fails at its end if any page had one (see ksbfolio.spec.mjs).
 */
export async function audit(page, name) {
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  checked.push(name);
  for (const v of result.violations) {
    violations.push({
      page: name,
      url: page.url(),
      text: [`${v.id} (${v.impact}): ${v.help}`, ...v.nodes.slice(0, 5).map((n) => `  at ${n.target.join(' ')}`)].join('\n'),
    });
  }
}

/**
 * Watch a page for Content-Security-Policy violations (Chromium reports each as a console error)
 * and keep the policy its document was served with, so the test can prove the policy was there
 * and that nothing the app does breaks it.
 */
export function watchSecurityPolicy(page, name) {
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
      policyViolations.push(`"${name}" (${page.url()}): ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    if (response.request().resourceType() === 'document') {
      // headers() leaves out security headers; allHeaders() has them all.
      policiesSeen.push(response.allHeaders().then((h) => h['content-security-policy'] ?? '(none)'));
    }
  });
}

/** Throws unless every document came with a policy and no page broke it. */
export async function assertSecurityPolicyHeld() {
  if (policiesSeen.length === 0) throw new Error('no document was loaded under watch');
  const policies = await Promise.all(policiesSeen);
  const missing = policies.filter((p) => !p.includes("default-src 'self'"));
  if (missing.length > 0) throw new Error(`documents without the app's policy: ${missing.join(', ')}`);
  if (policyViolations.length > 0) {
    throw new Error(`${policyViolations.length} Content-Security-Policy violation(s):\n${policyViolations.join('\n')}`);
  }
}

export function pagesAudited() {
  return [...checked];
}

/** Throws a readable list of every WCAG violation axe found on the pages audited so far. */
export function assertNoViolations() {
  if (checked.length === 0) throw new Error('no page was audited');
  if (violations.length > 0) {
    const lines = violations.map((v) => `"${v.page}" (${v.url}): ${v.text}`);
    throw new Error(`axe found ${violations.length} WCAG 2.2 A/AA violation(s):\n${lines.join('\n')}`);
  }
}

/** At 320 CSS px wide (or `width`) nothing may force the page to scroll sideways (WCAG 1.4.10 reflow). */
export async function assertReflows(page, name, width = 320) {
  const original = page.viewportSize();
  await page.setViewportSize({ width, height: 800 });
  await settle(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({ path: `${ARTIFACTS}${name}-${width}px.png`, fullPage: true });
  if (original) await page.setViewportSize(original);
  if (overflow > 0) throw new Error(`"${name}" scrolls sideways by ${overflow}px at ${width}px wide`);
}

/**
 * The page as a phone shows it (390 CSS px): axe on that layout too, and no sideways scrolling
 * of the page; then back to the desktop size. Call after `audit` at 1280 px.
 */
export async function auditPhone(page, name) {
  const original = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await audit(page, `${name}-390px`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) throw new Error(`"${name}" scrolls sideways by ${overflow}px at 390px wide`);
  } finally {
    if (original) await page.setViewportSize(original);
  }
}
