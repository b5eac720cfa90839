#!/usr/bin/env node
// End-to-end tests against a running ksbfolio server (the backend serving frontend/dist).
//
//   KSBFOLIO_E2E_URL=http://127.0.0.1:8080 \
//   KSBFOLIO_E2E_ADMIN_EMAIL=admin@example.org KSBFOLIO_E2E_ADMIN_PASSWORD=… npm run e2e
//
// scripts/e2e.sh (`make test-e2e`) does all of it: builds, starts the server on a fresh
// database, creates the admin, runs this, and cleans up.
//
// The tests, in order:
//  1. the story: as admin, through the API, it creates a provider, an employer, a tutor, a mentor,
//     an apprentice and an apprenticeship; then in the browser the apprentice submits S7 evidence,
//     the tutor sends it back, the apprentice resubmits, the tutor accepts, the mentor signs S7
//     off, and the apprentice sees D2's bar and the S7 cell change;
//  2. the performance budget: "My progress" renders within 1 s of navigation with 300 evidence
//     items in the portfolio (seeded through the API);
//  3. accessibility: axe found no WCAG 2.2 A/AA violation on any page the others visited.
// The last line of output is "N passed, N failed", alone, for CI to count.
import { mkdirSync, rmSync } from 'node:fs';
import { assertNoViolations, assertSecurityPolicyHeld, ARTIFACTS, launch, pagesAudited } from './browser.mjs';
import { seedStory } from './api.mjs';
import { BUDGET_MS, measureProgress } from './performance.mjs';
import { seedPortfolio } from './portfolio.mjs';
import { story } from './story.mjs';

const url = process.env.KSBFOLIO_E2E_URL;
const adminEmail = process.env.KSBFOLIO_E2E_ADMIN_EMAIL;
const adminPassword = process.env.KSBFOLIO_E2E_ADMIN_PASSWORD;
const PORTFOLIO_SIZE = 300;

if (!url) {
  console.error(
    'KSBFOLIO_E2E_URL is not set: the end-to-end tests need a running ksbfolio server.\n' +
      'Run scripts/e2e.sh (make test-e2e), or start the backend (it serves frontend/dist) and run\n' +
      '  KSBFOLIO_E2E_URL=http://127.0.0.1:8080 KSBFOLIO_E2E_ADMIN_EMAIL=… KSBFOLIO_E2E_ADMIN_PASSWORD=… npm run e2e',
  );
  process.exit(2);
}
if (!adminEmail || !adminPassword) {
  console.error('KSBFOLIO_E2E_ADMIN_EMAIL and KSBFOLIO_E2E_ADMIN_PASSWORD must name the seeded admin login.');
  process.exit(2);
}

// Screenshots of this run only: an old one must not pass for a page this run never reached.
rmSync(ARTIFACTS, { recursive: true, force: true });
mkdirSync(ARTIFACTS, { recursive: true });

let browser;
const getBrowser = async () => (browser ??= await launch());

const tests = [
  {
    name: 'story: S7 evidence is submitted, sent back, resubmitted, accepted and signed off; D2 and S7 change for the apprentice',
    async run() {
      console.log(`e2e: seeding through ${url}/api/v1 as ${adminEmail}`);
      const seed = await seedStory(url, adminEmail, adminPassword);
      console.log(`e2e: run ${seed.run}, apprenticeship ${seed.apprenticeship.id}`);
      await story(await getBrowser(), url, seed, { adminEmail, adminPassword });
    },
  },
  {
    name: `performance: "My progress" renders within ${BUDGET_MS} ms of navigation with ${PORTFOLIO_SIZE} evidence items`,
    async run() {
      const started = Date.now();
      const seed = await seedPortfolio(url, adminEmail, adminPassword, PORTFOLIO_SIZE);
      const t = seed.totals;
      console.log(
        `e2e: seeded ${seed.evidenceCount} evidence items through the API in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
          `(KSBs: ${t.signed_off} signed off, ${t.evidenced} evidenced, ${t.in_progress} in progress, ${t.not_started} not started)`,
      );
      const result = await measureProgress(await getBrowser(), url, seed);
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
    },
  },
  {
    name: 'accessibility: axe finds no WCAG 2.2 A/AA violation on any page visited',
    run() {
      assertNoViolations();
      console.log(`e2e: axe checked ${pagesAudited().length} page(s): ${pagesAudited().join(', ')}`);
    },
  },
  {
    name: 'security: every page is served with the Content-Security-Policy and nothing breaks it',
    async run() {
      await assertSecurityPolicyHeld();
    },
  },
];

let passed = 0;
let failed = 0;
try {
  for (const test of tests) {
    const started = Date.now();
    try {
      await test.run();
      passed += 1;
      console.log(`ok - ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed += 1;
      console.log(`not ok - ${test.name}`);
      console.error(`  ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.replaceAll('\n', '\n  '));
    }
  }
} finally {
  await browser?.close();
}

console.log(`screenshots in ${ARTIFACTS}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
