#!/usr/bin/env node
// End-to-end story against a running ksbfolio server (the backend serving frontend/dist).
//
//   KSBFOLIO_E2E_URL=http://127.0.0.1:8080 \
//   KSBFOLIO_E2E_ADMIN_EMAIL=admin@example.org KSBFOLIO_E2E_ADMIN_PASSWORD=… npm run e2e
//
// As admin, through the API, it creates a provider, an employer, a tutor, a mentor, an apprentice
// and an apprenticeship; then in the browser: the apprentice submits S7 evidence, the tutor sends
// it back, the apprentice resubmits, the tutor accepts, the mentor signs S7 off, and the
// apprentice sees D2's bar and the S7 cell change. axe (WCAG 2.2 A/AA) runs on every page visited.
import { seedStory } from './api.mjs';
import { ARTIFACTS, launch, pagesAudited } from './browser.mjs';
import { story } from './story.mjs';

const url = process.env.KSBFOLIO_E2E_URL;
const adminEmail = process.env.KSBFOLIO_E2E_ADMIN_EMAIL;
const adminPassword = process.env.KSBFOLIO_E2E_ADMIN_PASSWORD;

if (!url) {
  console.error(
    'KSBFOLIO_E2E_URL is not set: the end-to-end tests need a running ksbfolio server.\n' +
      'Start the backend (it serves frontend/dist), then run for example\n' +
      '  KSBFOLIO_E2E_URL=http://127.0.0.1:8080 KSBFOLIO_E2E_ADMIN_EMAIL=… KSBFOLIO_E2E_ADMIN_PASSWORD=… npm run e2e',
  );
  process.exit(2);
}
if (!adminEmail || !adminPassword) {
  console.error('KSBFOLIO_E2E_ADMIN_EMAIL and KSBFOLIO_E2E_ADMIN_PASSWORD must name the seeded admin login.');
  process.exit(2);
}

let browser;
let failed = false;
try {
  console.log(`e2e: seeding through ${url}/api/v1 as ${adminEmail}`);
  const seed = await seedStory(url, adminEmail, adminPassword);
  console.log(`e2e: run ${seed.run}, apprenticeship ${seed.apprenticeship.id}`);
  browser = await launch();
  await story(browser, url, seed, { adminEmail, adminPassword });
} catch (error) {
  failed = true;
  console.error(`\ne2e FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await browser?.close();
}

const audited = pagesAudited();
console.log(`\naxe checked ${audited.length} page(s): ${audited.join(', ')}`);
console.log(`screenshots in ${ARTIFACTS}`);
console.log(failed ? 'e2e: 0 passed, 1 failed' : 'e2e: 1 passed, 0 failed');
process.exit(failed ? 1 : 0);
