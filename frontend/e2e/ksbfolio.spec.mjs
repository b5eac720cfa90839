// The browser tests, in order (one worker, see playwright.config.mjs):
//  1. the story: as admin, through the API, it creates a provider, an employer, a tutor, a mentor,
//     an apprentice and an apprenticeship; then in the browser the apprentice submits S7 evidence,
//     the tutor (landing on the inbox) sends it back, the apprentice resubmits, the tutor accepts,
//     the mentor (landing on the inbox) signs S7 off, and the apprentice sees D2's bar and the S7
//     cell change; the mentor then signs K1 and K5 off together from the sign-off queue, and
//     off-the-job time and a progress review follow (story.mjs); at the end a second provider's
//     tutor imports the apprentice's portfolio.zip as they move provider (moving.mjs);
//  2. the performance budget: "My progress" renders within 1 s of navigation with 300 evidence
//     items in the portfolio (seeded through the API).
// Every page either visits is checked at the end of its test: axe finds no WCAG 2.2 A/AA
// violation, and every document came with the app's Content-Security-Policy, unbroken.
import { test as base } from '@playwright/test';
import { seedStory } from './api.mjs';
import { assertNoViolations, assertSecurityPolicyHeld, pagesAudited, resetChecks } from './browser.mjs';
import { BUDGET_MS, measureProgress } from './performance.mjs';
import { seedPortfolio } from './portfolio.mjs';
import { story } from './story.mjs';

const adminEmail = process.env.KSBFOLIO_E2E_ADMIN_EMAIL ?? '';
const adminPassword = process.env.KSBFOLIO_E2E_ADMIN_PASSWORD ?? '';
const PORTFOLIO_SIZE = 300;

const test = base.extend({
  // Axe results and policy violations are collected while a test runs, not thrown, so one
  // page's problem does not hide the rest of the story; they fail the test at its end.
  pagesChecked: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      resetChecks();
      await use();
      await test.step('accessibility: axe finds no WCAG 2.2 A/AA violation on any page visited', () => {
        assertNoViolations();
        console.log(`e2e: axe checked ${pagesAudited().length} page(s): ${pagesAudited().join(', ')}`);
      });
      await test.step('security: every page is served with the Content-Security-Policy and nothing breaks it', assertSecurityPolicyHeld);
    },
    { auto: true },
  ],
});

test('story: S7 evidence is submitted, sent back, resubmitted, accepted and signed off; D2 and S7 change for the apprentice', async ({ browser, baseURL }) => {
  console.log(`e2e: seeding through ${baseURL}/api/v1 as ${adminEmail}`);
  const seed = await seedStory(baseURL, adminEmail, adminPassword);
  console.log(`e2e: run ${seed.run}, apprenticeship ${seed.apprenticeship.id}`);
  await story(browser, baseURL, seed, { adminEmail, adminPassword });
});

test(`performance: "My progress" renders within ${BUDGET_MS} ms of navigation with ${PORTFOLIO_SIZE} evidence items`, async ({ browser, baseURL }) => {
  const started = Date.now();
  const seed = await seedPortfolio(baseURL, adminEmail, adminPassword, PORTFOLIO_SIZE);
  const t = seed.totals;
  console.log(
    `e2e: seeded ${seed.evidenceCount} evidence items through the API in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(KSBs: ${t.signed_off} signed off, ${t.evidenced} evidenced, ${t.in_progress} in progress, ${t.not_started} not started)`,
  );
  const result = await measureProgress(browser, baseURL, seed);
  console.log(
    `e2e: "My progress" rendered after navigation in ${result.timings.join(', ')} ms ` +
      `(median ${result.median} ms, max ${result.max} ms; budget ${BUDGET_MS} ms on the median)`,
  );
  console.log(
    `e2e: for the record, a full page load of "My progress" took ${result.fullLoad.timings.join(', ')} ms ` +
      `(median ${result.fullLoad.median} ms, max ${result.fullLoad.max} ms; not budgeted)`,
  );
  if (result.median > BUDGET_MS) {
    throw new Error(`"My progress" took ${result.median} ms (median of ${result.timings.length}), over the ${BUDGET_MS} ms budget`);
  }
});
