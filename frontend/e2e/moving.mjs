// Moving provider, at the end of the story: the apprentice's portfolio.zip (downloaded through
// the API as the apprentice) is imported in the browser by a tutor of a second provider, with a
// second employer and its mentor; the new apprenticeship has the same coverage, and the first
// enrolment is transferred. The import page is checked by axe before and after.
import { Api } from './api.mjs';
import { audit, settle } from './browser.mjs';

function step(text) {
  console.log(`e2e: ${text}`);
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

export async function movingStory(browser, baseUrl, seed, admin, signIn) {
  step('a second provider imports the apprentice\'s portfolio as they move; the first enrolment is transferred');
  const api = new Api(baseUrl);
  await api.login(admin.adminEmail, admin.adminPassword);
  const run = seed.run;
  const password = `E2e-${run}-moving-provider`;
  const provider = await api.call('POST', '/organisations', { name: `E2E Second College ${run}`, kind: 'provider' });
  const employer = await api.call('POST', '/organisations', { name: `E2E Second Trust ${run}`, kind: 'employer' });
  const person = async (role, name, organisation) => {
    const email = `${role}.moving.${run}@e2e.ksbfolio.test`;
    const user = await api.call('POST', '/users', { email, name, role, organisation_id: organisation.id, password });
    return { ...user, email, password };
  };
  const tutor = await person('provider', `Theo Tutor ${run}`, provider);
  const mentor = await person('employer', `Mae Mentor ${run}`, employer);
  // The second provider already works with this mentor: another apprentice of theirs.
  const other = await person('apprentice', `Oli Other ${run}`, employer);
  await api.call('POST', '/apprenticeships', {
    apprentice_id: other.id,
    standard: 'ST0220',
    employer_id: employer.id,
    provider_id: provider.id,
    mentor_id: mentor.id,
    tutor_id: tutor.id,
    start_date: seed.apprenticeship.start_date,
    expected_end_date: seed.apprenticeship.expected_end_date,
  });

  const apprenticeApi = new Api(baseUrl);
  await apprenticeApi.login(seed.apprentice.email, seed.apprentice.password);
  const coverageBefore = await apprenticeApi.call('GET', `/apprenticeships/${seed.apprenticeship.id}/coverage`);
  const download = await fetch(`${apprenticeApi.base}/apprenticeships/${seed.apprenticeship.id}/portfolio.zip`, {
    headers: { Authorization: `Bearer ${apprenticeApi.token}` },
  });
  expect(download.ok, `the export answered ${download.status}`);
  const zip = Buffer.from(await download.arrayBuffer());

  const page = await signIn(browser, baseUrl, tutor.email, tutor.password, 'second-tutor');
  await page.getByRole('link', { name: 'Import a cohort' }).click();
  await page.getByRole('link', { name: 'import a portfolio' }).click();
  await page.getByRole('heading', { level: 1, name: 'Import a portfolio' }).waitFor();
  await settle(page);
  await audit(page, 'second-tutor-import-portfolio');
  await page.getByRole('button', { name: 'Import portfolio' }).click();
  await page.locator('.nhsuk-error-summary').getByRole('link', { name: 'Choose the portfolio.zip file' }).waitFor();
  await audit(page, 'second-tutor-import-portfolio-errors');
  await page.getByLabel('Portfolio file').setInputFiles({ name: 'portfolio.zip', mimeType: 'application/zip', buffer: zip });
  await page.getByLabel('Employer').selectOption({ label: employer.name });
  await page.getByLabel('Workplace mentor').selectOption({ label: mentor.name });
  await page.getByLabel('Tutor').selectOption({ label: tutor.name });
  await page.getByLabel('Start date with your provider').fill(new Date().toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Import portfolio' }).click();
  const done = page.getByTestId('portfolio-imported');
  await done.getByText(`${seed.apprentice.name}'s portfolio is imported`).waitFor();
  await audit(page, 'second-tutor-portfolio-imported');
  await done.getByRole('link', { name: 'Open their progress' }).click();
  await page.getByTestId('duty-D2-figures').waitFor();
  await audit(page, 'second-tutor-imported-progress');
  const imported = new URL(page.url()).pathname.split('/').pop();

  const tutorApi = new Api(baseUrl);
  await tutorApi.login(tutor.email, tutor.password);
  const coverageAfter = await tutorApi.call('GET', `/apprenticeships/${imported}/coverage`);
  expect(JSON.stringify(coverageAfter.duties) === JSON.stringify(coverageBefore.duties), 'the imported apprenticeship should have the same figures per duty');
  const old = await apprenticeApi.call('GET', `/apprenticeships/${seed.apprenticeship.id}`);
  expect(old.status === 'transferred' && old.transferred_to === imported, `the first enrolment should be transferred, was ${old.status}`);
  await page.context().close();
}
