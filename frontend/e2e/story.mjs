// The browser half of the e2e run: one browser context per person, as in real life.
import { readFile } from 'node:fs/promises';
import { Api } from './api.mjs';
import { ARTIFACTS, assertReflows, audit, auditPhone, settle, watchSecurityPolicy } from './browser.mjs';
import { mailedLink, mailNames, signInByLink } from './mail.mjs';
import { movingStory } from './moving.mjs';

// A valid 1×1 PNG: the smallest attachment any sensible allow-list accepts.
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

// The head of a Windows program: refused from its bytes whatever its name claims.
const PROGRAM = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00]);

function step(text) {
  console.log(`e2e: ${text}`);
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

export async function signIn(browser, baseUrl, email, password, name) {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`  [${name} page error] ${error.message}`));
  watchSecurityPolicy(page, name);
  await page.goto('/sign-in');
  await audit(page, `${name}-sign-in`);
  // The NHS font stack everywhere, never the browser's default serif.
  const fonts = await page.evaluate(() => [document.documentElement, document.querySelector('button')].map((e) => (e ? getComputedStyle(e).fontFamily : '')));
  expect(fonts.every((f) => /arial/i.test(f)), `the page and its buttons should use the NHS font stack, got ${fonts.join(' | ')}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter'); // keyboard submit
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await settle(page);
  return page;
}

async function readProgress(page) {
  const d2 = (await page.getByTestId('duty-D2-figures').textContent())?.trim() ?? '';
  const s7 = await page.locator('a[data-ksb="S7"]').getAttribute('data-status');
  return { d2, s7 };
}

export async function story(browser, baseUrl, seed, admin) {
  const title = `Daily QC and calibration of the blood gas analyser (${seed.run})`;
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const progressPath = `/apprenticeships/${seed.apprenticeship.id}`;

  step('admin looks at the admin pages');
  const admin_ = await signIn(browser, baseUrl, admin.adminEmail, admin.adminPassword, 'admin');
  await admin_.waitForURL('**/admin/organisations');
  await audit(admin_, 'admin-organisations');
  await auditPhone(admin_, 'admin-organisations');
  await admin_.getByRole('link', { name: 'Users', exact: true }).click();
  await audit(admin_, 'admin-users');
  await auditPhone(admin_, 'admin-users');
  // WCAG 2.4.3: after client-side navigation, focus lands on the new page's heading.
  const focused = await admin_.evaluate(() => `${document.activeElement?.tagName}:${document.activeElement?.textContent}`);
  expect(focused === 'H1:Users', `focus after navigation should be on the h1, was ${focused}`);
  step('admin e-mails a password link to the mentor, who opens it from the e-mail; the pages are accessible');
  const mailBefore = await mailNames();
  await admin_.getByRole('button', { name: `Email a password link to ${seed.mentor.name}` }).click();
  const sentText = (await admin_.getByTestId('password-link').textContent()) ?? '';
  expect(sentText.includes(`A link to set a password was e-mailed to ${seed.mentor.email}`) && !sentText.includes('token='), `the page should say where the link went and never show it, got "${sentText}"`);
  const linkText = await mailedLink(seed.mentor.email, mailBefore, 'password');
  await audit(admin_, 'admin-users-password-link');
  await admin_.getByRole('link', { name: 'Change password' }).click();
  await audit(admin_, 'admin-change-password');
  const linkPage = await (await browser.newContext({ baseURL: baseUrl })).newPage();
  watchSecurityPolicy(linkPage, 'set-password');
  await linkPage.goto(new URL(linkText).pathname + new URL(linkText).search);
  await linkPage.getByLabel('New password').waitFor();
  await audit(linkPage, 'set-password');
  await linkPage.goto('/forgotten-password');
  await audit(linkPage, 'forgotten-password');
  await linkPage.context().close();
  step('admin imports a cohort from CSV; a second upload of the same file changes nothing');
  await admin_.getByRole('link', { name: 'Import a cohort' }).click();
  const cohort = `email,name,role,organisation\ncohort.${seed.run}@e2e.ksbfolio.test,Cy Cohort ${seed.run},apprentice,${seed.employer.name}\n`;
  for (const expected of ['1 created, 0 already there', '0 created, 1 already there']) {
    await admin_.getByLabel('People file').setInputFiles({ name: 'cohort.csv', mimeType: 'text/csv', buffer: Buffer.from(cohort) });
    await admin_.getByRole('button', { name: 'Import' }).first().click();
    await admin_.getByTestId('import-result').filter({ hasText: expected }).waitFor();
  }
  await audit(admin_, 'admin-imports');
  await admin_.getByRole('link', { name: 'Apprenticeships', exact: true }).click();
  await audit(admin_, 'admin-apprenticeships');
  await auditPhone(admin_, 'admin-apprenticeships');
  expect(await admin_.getByRole('link', { name: seed.apprentice.name }).count() > 0, 'new apprenticeship not listed for admin');

  step('apprentice signs in and sees their progress');
  const apprentice = await signIn(browser, baseUrl, seed.apprentice.email, seed.apprentice.password, 'apprentice');
  await apprentice.waitForURL(`**${progressPath}`);
  await audit(apprentice, 'apprentice-progress');
  await assertReflows(apprentice, 'apprentice-progress');
  await auditPhone(apprentice, 'apprentice-progress');
  // Coverage a person understands: the time-elapsed line has its words, the statuses their meaning.
  expect(/of the planned period .* has passed/.test((await apprentice.getByTestId('time-elapsed').textContent()) ?? ''), 'the time elapsed should be written beside the duty bars');
  expect(await apprentice.getByRole('list', { name: 'What the statuses mean' }).first().isVisible(), 'the statuses should be defined on the page');
  await apprentice.locator('a[data-ksb="S7"]').focus();
  expect(((await apprentice.getByTestId('ksb-preview').textContent()) ?? '').includes('equipment management'), 'focusing the S7 tile should show its statement');
  const before = await readProgress(apprentice);
  expect(before.s7 === 'not_started', `S7 should start not started, was ${before.s7}`);

  step('a second tab of the same browser is signed in through the HttpOnly refresh cookie');
  const cookies = await apprentice.context().cookies();
  const refresh = cookies.find((c) => c.name === 'ksbfolio_refresh');
  expect(refresh?.httpOnly === true && refresh.sameSite === 'Strict' && refresh.path === '/api/v1/auth', `refresh cookie should be HttpOnly, Strict, /api/v1/auth: ${JSON.stringify(refresh)}`);
  expect(await apprentice.evaluate(() => document.cookie.includes('ksbfolio_refresh')) === false, 'scripts must not read the refresh cookie');
  const secondTab = await apprentice.context().newPage();
  watchSecurityPolicy(secondTab, 'apprentice-second-tab');
  await secondTab.goto(progressPath);
  await secondTab.getByTestId('duty-D2-figures').waitFor();
  expect(!secondTab.url().includes('/sign-in'), `the second tab should be signed in, was at ${secondTab.url()}`);
  // The cookie without the client header, as a forged request would carry it: refused.
  const forged = await apprentice.context().request.post('/api/v1/auth/refresh', { data: {} });
  expect(forged.status() === 401, `a refresh without the client header should be 401, was ${forged.status()}`);
  await secondTab.close();

  step('a file the server refuses leaves the evidence a draft, with the error beside the file');
  await apprentice.getByRole('main').getByRole('link', { name: 'Add evidence' }).click();
  await apprentice.getByLabel('Title').fill(`Rota tool (${seed.run})`);
  await apprentice.getByLabel('What did you do, and what does it show?').fill('A small tool I wrote for the rota.');
  await apprentice.getByLabel('Type of evidence').selectOption('other');
  await apprentice.getByLabel('Date it happened').fill(yesterday);
  await apprentice.getByLabel('Search KSBs').fill('K1');
  await apprentice.getByRole('checkbox', { name: /^K1 / }).first().check();
  await apprentice.getByLabel('Drag files here, or choose them').setInputFiles({ name: 'rota-tool.exe', mimeType: 'application/octet-stream', buffer: PROGRAM });
  await apprentice.getByRole('button', { name: 'Save and submit for review' }).click();
  const refusedSummary = apprentice.locator('.nhsuk-error-summary');
  await refusedSummary.getByText('Saved as a draft; 1 file could not be attached').waitFor();
  const refusedRow = apprentice.getByTestId('queued-files').locator('li', { hasText: 'rota-tool.exe' });
  await refusedRow.locator('.nhsuk-error-message').waitFor();
  const refusedText = (await refusedRow.innerText()).replace(/\s+/g, ' ');
  expect(/rota-tool\.exe could not be attached/.test(refusedText), `the refused file should say why beside it: "${refusedText}"`);
  const summaryFocused = await apprentice.evaluate(() => document.activeElement?.classList.contains('nhsuk-error-summary') === true);
  expect(summaryFocused, 'focus should move to the summary of what happened');
  await audit(apprentice, 'apprentice-add-evidence-refused-file');
  await apprentice.goto(`${progressPath}/evidence`);
  const refusedRows = apprentice.getByTestId('evidence-table').locator('tr', { hasText: `Rota tool (${seed.run})` });
  await refusedRows.first().waitFor();
  const refusedStatus = (await refusedRows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  expect(refusedStatus.length === 1 && refusedStatus[0].includes('Draft'), `the evidence should be saved once, as a draft: ${JSON.stringify(refusedStatus)}`);
  await apprentice.goto(progressPath);
  await apprentice.getByTestId('duty-D2-figures').waitFor();

  step('apprentice adds S7 evidence with its file and submits it, in one step');
  await apprentice.getByRole('main').getByRole('link', { name: 'Add evidence' }).click();
  await audit(apprentice, 'apprentice-add-evidence');
  await auditPhone(apprentice, 'apprentice-add-evidence');
  await apprentice.getByLabel('Title').fill(title);
  await apprentice
    .getByLabel('What did you do, and what does it show?')
    .fill('I ran the morning quality control, found the pO2 channel out of range and recalibrated it before clinical use.');
  await apprentice.getByLabel('Type of evidence').selectOption('observation');
  await apprentice.getByLabel('Date it happened').fill(yesterday);
  await apprentice.getByLabel('Search KSBs').fill('S7');
  await apprentice.getByRole('checkbox', { name: /^S7 / }).first().check();
  await apprentice.getByLabel('Drag files here, or choose them').setInputFiles({ name: 'qc-record.png', mimeType: 'image/png', buffer: PNG_1X1 });
  await apprentice.getByTestId('queued-files').getByText(/^qc-record\.png \(/).waitFor();
  await apprentice.getByRole('button', { name: 'Save and submit for review' }).click();
  const confirmation = apprentice.getByTestId('confirmation');
  await confirmation.getByText('Submitted for review with 1 file attached.').waitFor();
  const confirmationFocused = await apprentice.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'confirmation');
  expect(confirmationFocused, 'focus should move to the confirmation');
  const evidencePath = new URL(apprentice.url()).pathname;
  expect(/^\/evidence\/[^/]+$/.test(evidencePath), `unexpected evidence URL ${evidencePath}`);
  await audit(apprentice, 'apprentice-evidence-submitted');
  await auditPhone(apprentice, 'apprentice-evidence-submitted');
  await apprentice.getByRole('link', { name: 'Back to evidence' }).click();
  await audit(apprentice, 'apprentice-evidence-list');
  await auditPhone(apprentice, 'apprentice-evidence-list');

  step('apprentice has a second piece of evidence (K5) waiting behind it in the review queue');
  const secondTitle = `Internal QA audit of the analyser log (${seed.run})`;
  const apprenticeApi = new Api(baseUrl);
  await apprenticeApi.login(seed.apprentice.email, seed.apprentice.password);
  const second = await apprenticeApi.call('POST', `/apprenticeships/${seed.apprenticeship.id}/evidence`, {
    title: secondTitle,
    description: 'I audited a month of the analyser QC log against the procedure and wrote up two actions.',
    kind: 'work_product',
    occurred_on: yesterday,
    ksbs: ['K5'],
  });
  await apprenticeApi.call('POST', `/evidence/${second.id}/submit`);

  step('tutor finds it in the review queue and sends it back');
  const tutor = await signIn(browser, baseUrl, seed.tutor.email, seed.tutor.password, 'tutor');
  await inboxStory(tutor, 'tutor', [`Review ${title}`, `Review ${secondTitle}`]);
  await tutor.getByRole('link', { name: 'Caseload', exact: true }).click();
  await settle(tutor);
  await audit(tutor, 'tutor-caseload');
  expect(await tutor.getByRole('link', { name: seed.apprentice.name }).count() > 0, 'apprentice missing from caseload');
  await auditPhone(tutor, 'tutor-caseload');
  await tutor.getByRole('link', { name: 'Review queue' }).click();
  await audit(tutor, 'tutor-review-queue');
  await auditPhone(tutor, 'tutor-review-queue');
  await tutor.getByRole('link', { name: `Review: ${title}` }).click();
  await settle(tutor);
  await tutor.getByTestId('whose-work').getByText(seed.apprentice.name).waitFor();
  await audit(tutor, 'tutor-review');
  await auditPhone(tutor, 'tutor-review');
  await tutor.getByLabel('Send back for changes').check();
  await tutor.getByLabel('Feedback to the apprentice').fill('Good start. Add the QC lot number and what you checked after recalibrating.');
  await tutor.getByRole('button', { name: 'Save decision' }).click();

  step('tutor lands on the next item of the queue, told what happened, with focus on the message');
  await tutor.getByRole('heading', { level: 1, name: new RegExp(`Review: ${secondTitle.replace(/[()]/g, '\\$&')}`) }).waitFor();
  const flash = tutor.getByTestId('flash');
  const flashText = (await flash.textContent()) ?? '';
  expect(flashText.includes(`Sent “${title}” back to ${seed.apprentice.name} with your feedback.`) && flashText.includes(`Next in the review queue: “${secondTitle}”`), `unexpected confirmation: ${flashText}`);
  expect(await flash.evaluate((el) => el === document.activeElement), 'focus should be on the confirmation');
  expect(new URL(tutor.url()).pathname === `/evidence/${second.id}/review`, `expected the next item, at ${tutor.url()}`);
  await audit(tutor, 'tutor-review-next');
  await tutor.getByLabel('Accept').check();
  await tutor.getByRole('button', { name: 'Save decision' }).click();
  await tutor.getByText('Nothing else is waiting for review.').waitFor();
  await audit(tutor, 'tutor-review-queue-empty');

  step('apprentice reads the feedback, edits and resubmits');
  await apprentice.goto(evidencePath);
  await apprentice.getByTestId('feedback').waitFor();
  step('apprentice downloads the file back, attaches a wrong one and removes it, and comments');
  const downloadButton = apprentice.getByRole('button', { name: 'Download qc-record.png' });
  await downloadButton.waitFor();
  const [download] = await Promise.all([apprentice.waitForEvent('download'), downloadButton.click()]);
  expect(download.suggestedFilename() === 'qc-record.png', `downloaded ${download.suggestedFilename()}`);
  await apprentice.getByLabel('Add a file').setInputFiles({ name: 'wrong-photo.png', mimeType: 'image/png', buffer: PNG_1X1 });
  await apprentice.getByRole('button', { name: 'Upload file' }).click();
  await apprentice.getByRole('button', { name: 'Remove wrong-photo.png' }).click();
  const files = apprentice.locator('section[aria-labelledby="attachments-title"]');
  await files.getByText('Removed wrong-photo.png.').waitFor({ timeout: 5_000 }).catch(async (error) => {
    throw new Error(`${error.message}\nthe files section said: ${(await files.innerText()).replace(/\s+/g, ' ')}`);
  });
  // The message comes before the list is read again: wait for the file to leave it.
  await apprentice.getByRole('button', { name: 'Download wrong-photo.png' }).waitFor({ state: 'detached', timeout: 5_000 })
    .catch(() => expect(false, 'the removed file should be gone from the list'));
  await apprentice.getByLabel('Add a comment').fill('Lot number added to the description; QC printout attached.');
  await apprentice.getByRole('button', { name: 'Add comment' }).click();
  await apprentice.getByText('QC printout attached.', { exact: false }).first().waitFor();
  await audit(apprentice, 'apprentice-evidence-feedback');
  await apprentice.getByRole('link', { name: 'Edit', exact: true }).click();
  await audit(apprentice, 'apprentice-edit-evidence');
  const description = apprentice.getByLabel('What did you do, and what does it show?');
  await description.fill(`${await description.inputValue()} QC lot 4417; I re-ran both QC levels after calibration and both were in range.`);
  await apprentice.getByRole('button', { name: 'Save and resubmit' }).click();
  await apprentice.getByTestId('confirmation').getByText('Submitted for review.').waitFor();

  step('tutor accepts the resubmission');
  await tutor.goto('/review-queue');
  await settle(tutor);
  await tutor.getByRole('link', { name: `Review: ${title}` }).click();
  await settle(tutor);
  await tutor.getByLabel('Accept').check();
  await tutor.getByLabel('Feedback to the apprentice').fill('Clear and complete. Accepted for S7.');
  await tutor.getByRole('button', { name: 'Save decision' }).click();
  await tutor.getByText(`Accepted “${title}” for ${seed.apprentice.name}.`).waitFor();
  await tutor.goto(progressPath);
  await audit(tutor, 'tutor-portfolio');

  step('mentor signs in only through an e-mailed sign-in link, then signs S7 off with the accepted evidence beside');
  const mentor = await signInByLink(browser, baseUrl, seed.mentor.email, 'mentor');
  await inboxStory(mentor, 'mentor', ['Sign off S7', 'Sign off K5']);
  await notificationsStory(mentor);
  await mentor.getByRole('link', { name: 'Sign-off queue' }).first().click();
  await audit(mentor, 'mentor-signoff-queue');
  await auditPhone(mentor, 'mentor-signoff-queue');
  step('the queue groups by apprentice and shows each KSB with its statement and accepted evidence');
  const group = mentor.getByRole('region', { name: seed.apprentice.name });
  const s7Row = group.locator('tr[data-ksb="S7"]');
  expect(((await s7Row.textContent()) ?? '').includes('equipment management activities'), 'the S7 statement should be in the queue');
  await s7Row.getByRole('link', { name: title }).waitFor();
  await group.locator('tr[data-ksb="K5"]').getByRole('link', { name: secondTitle }).waitFor();
  await s7Row.getByRole('link', { name: /^Sign off\s*S7/ }).click();
  await settle(mentor);
  step('the sign-off page names the apprentice and shows the statement and the evidence');
  await mentor.getByRole('heading', { level: 1, name: new RegExp(seed.apprentice.name) }).waitFor();
  expect(((await mentor.getByTestId('ksb-statement').textContent()) ?? '').startsWith('Perform a range of equipment management'), 'the full S7 statement should be on the sign-off page');
  const accepted = mentor.getByRole('table', { name: 'Accepted evidence for S7' });
  await accepted.getByRole('link', { name: title }).waitFor();
  await audit(mentor, 'mentor-ksb-s7');
  await auditPhone(mentor, 'mentor-ksb-s7');
  await mentor.getByLabel('Your comment on S7').fill('Seen on the ward: QC and recalibration done correctly and documented.');
  await mentor.getByRole('button', { name: 'Sign off S7' }).click();
  await mentor.getByText('S7 signed off.').waitFor();
  await mentor.getByTestId('active-signoff').waitFor();
  await audit(mentor, 'mentor-ksb-s7-signed-off');

  step('apprentice sees D2 and S7 change');
  await apprentice.goto(progressPath);
  await settle(apprentice);
  const after = await readProgress(apprentice);
  await audit(apprentice, 'apprentice-progress-after');
  expect(after.s7 === 'signed_off', `S7 cell should be signed off, is ${after.s7}`);
  expect(after.d2 !== before.d2, `D2 figures did not change: "${after.d2}"`);
  const signedBefore = Number(/^(\d+) of/.exec(before.d2)?.[1]);
  const signedAfter = Number(/^(\d+) of/.exec(after.d2)?.[1]);
  expect(signedAfter === signedBefore + 1, `D2 signed off went ${signedBefore} → ${signedAfter}, expected +1`);
  const cellText = (await apprentice.locator('a[data-ksb="S7"]').innerText()).replace(/\s+/g, ' ');
  expect(cellText.includes('Signed off'), `S7 cell should say "Signed off": "${cellText}"`);
  console.log(`e2e: D2 before "${before.d2}", after "${after.d2}"; screenshots in ${ARTIFACTS}`);

  await bulkSignoffStory(mentor, baseUrl, seed, apprenticeApi, secondTitle);
  await reviewStory({ apprentice, tutor, mentor }, seed, progressPath);
  await planBreakReopenStory(tutor, seed, progressPath);
  await movingStory(browser, baseUrl, seed, admin, signIn);

  step('signing out ends the session');
  await apprentice.getByRole('button', { name: 'Sign out' }).click();
  await apprentice.waitForURL('**/sign-in**');
  await apprentice.goto(progressPath);
  await apprentice.waitForURL('**/sign-in?next=**');
}

/**
 * A mentor hears once a day unless they choose otherwise: the settings page says so, and a new
 * choice is saved and confirmed where they are.
 */
async function notificationsStory(mentor) {
  step('the mentor finds a daily summary is their usual choice, and asks for an e-mail per item instead');
  const inbox = mentor.url();
  await mentor.getByRole('link', { name: 'Notifications' }).click();
  await mentor.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
  expect(await mentor.getByLabel('One email a day').isChecked(), 'a mentor gets a daily digest by default');
  await audit(mentor, 'mentor-notifications');
  await auditPhone(mentor, 'mentor-notifications');
  await mentor.getByLabel('An email for each thing').check();
  await mentor.getByRole('button', { name: 'Save' }).click();
  await mentor.getByTestId('notifications-saved').waitFor();
  expect(await mentor.getByLabel('An email for each thing').isChecked(), 'the new choice should stay chosen');
  await audit(mentor, 'mentor-notifications-saved');
  await mentor.goto(inbox);
  await settle(mentor);
}

/**
 * Mentors and tutors land on their inbox: everything waiting for them, oldest first, each item
 * with its waiting days and a link that acts on it.
 */
async function inboxStory(page, name, links) {
  step(`${name} lands on the inbox, with waiting days on every item`);
  await page.waitForURL('**/inbox');
  const inbox = page.getByTestId('inbox');
  for (const link of links) {
    await inbox.getByRole('link', { name: new RegExp(`^${link.replace(/[()]/g, '\\$&')}`) }).waitFor();
  }
  const rows = await inbox.locator('tbody tr').count();
  const days = await inbox.getByTestId('waiting-days').count();
  expect(rows > 0 && days === rows, `every inbox item should say how long it has waited (${days} of ${rows})`);
  await audit(page, `${name}-inbox`);
  await auditPhone(page, `${name}-inbox`);
}

/**
 * The mentor signs off several KSBs of one apprentice with one confirmation: K5 (accepted
 * earlier) and K1 (accepted now through the API), selected in the sign-off queue.
 */
async function bulkSignoffStory(mentor, baseUrl, seed, apprenticeApi, secondTitle) {
  step('a third piece of evidence, for K1, is accepted');
  const k1 = await apprenticeApi.call('POST', `/apprenticeships/${seed.apprenticeship.id}/evidence`, {
    title: `Reflective account on analyser maintenance (${seed.run})`,
    description: 'What I learnt from the planned maintenance of the analyser.',
    kind: 'reflective_account',
    occurred_on: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
    ksbs: ['K1'],
  });
  await apprenticeApi.call('POST', `/evidence/${k1.id}/submit`);
  const tutorApi = new Api(baseUrl);
  await tutorApi.login(seed.tutor.email, seed.tutor.password);
  await tutorApi.call('POST', `/evidence/${k1.id}/review`, { decision: 'accepted', feedback: 'Accepted for K1.' });

  step('mentor selects K1 and K5 in the sign-off queue and signs both off at once');
  await mentor.goto('/signoff-queue');
  await settle(mentor);
  const group = mentor.getByRole('region', { name: seed.apprentice.name });
  await group.getByLabel(/^Select\s*K1\s*of/).check();
  await group.getByLabel(/^Select\s*K5\s*of/).check();
  await audit(mentor, 'mentor-signoff-queue-selected');
  await group.getByRole('button', { name: /^Sign off the selected KSBs/ }).click();
  await mentor.getByRole('heading', { level: 1, name: /Sign off 2 KSBs/ }).waitFor();
  await mentor.getByRole('region', { name: 'K5' }).getByRole('link', { name: secondTitle }).waitFor();
  await audit(mentor, 'mentor-bulk-signoff');
  await auditPhone(mentor, 'mentor-bulk-signoff');
  await mentor.getByLabel(/^Your comment on K1 and K5/).fill('Both seen in practice on the ward.');
  await mentor.getByRole('button', { name: 'Sign off these 2 KSBs' }).click();
  const done = mentor.getByTestId('bulk-signoff-done');
  await done.getByText(`K1 and K5 signed off for ${seed.apprentice.name}.`).waitFor();
  expect(await done.evaluate((el) => el === document.activeElement), 'focus should be on the confirmation');
  await audit(mentor, 'mentor-bulk-signoff-done');

  step('nothing waits for the mentor any more');
  await mentor.getByRole('link', { name: 'Back to your inbox' }).click();
  await mentor.getByText('Nothing is waiting for you.').waitFor();
  await audit(mentor, 'mentor-inbox-empty');
}

const isoDay = (offsetDays) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * Off-the-job time and a progress review, end to end: the apprentice logs time, the tutor
 * approves it from the queue, sees the overdue review on the caseload and records one (first
 * with a date the server refuses), the three parties sign it, and the caseload shows it.
 */
async function reviewStory({ apprentice, tutor, mentor }, seed, progressPath) {
  const reviewsPath = `${progressPath}/reviews`;
  const row = (page) => page.locator(`tr[data-apprenticeship="${seed.apprenticeship.id}"]`);

  step('apprentice logs 90 minutes of off-the-job training');
  await apprentice.goto(progressPath);
  await settle(apprentice);
  await apprentice.getByRole('link', { name: 'Off-the-job training' }).click();
  await audit(apprentice, 'apprentice-otj');
  await apprentice.getByLabel('Date', { exact: true }).fill(isoDay(-1));
  await apprentice.getByLabel('Time spent', { exact: true }).fill('90');
  await apprentice.getByLabel('Type of training').selectOption('taught_session');
  await apprentice.getByLabel('What you did').fill('Blood sciences lecture on analyser quality control.');
  await apprentice.getByRole('button', { name: 'Save time' }).click();
  await apprentice.getByText("it waits for your provider's approval").waitFor();
  await audit(apprentice, 'apprentice-otj-logged');

  step('tutor sees the first review overdue on the caseload');
  await tutor.goto('/caseload');
  await settle(tutor);
  await row(tutor).getByText('Review overdue').waitFor();
  await tutor.getByLabel('Progress review').selectOption('overdue');
  await row(tutor).waitFor();
  await audit(tutor, 'tutor-caseload-review-overdue');

  step('tutor approves the time from the off-the-job queue');
  await tutor.getByRole('link', { name: 'Off-the-job queue' }).click();
  await audit(tutor, 'tutor-otj-queue');
  await tutor.getByRole('button', { name: new RegExp(`^Approve\\s*1 hour 30 minutes .* by ${seed.apprentice.name}$`) }).click();
  await tutor.getByText(`Approved: 1 hour 30 minutes`).waitFor();
  await tutor.getByText('No off-the-job time of your apprentices is waiting for approval.').waitFor();
  await audit(tutor, 'tutor-otj-queue-empty');

  step('tutor records a progress review; the server refuses a date before the start first');
  await tutor.goto(progressPath);
  await settle(tutor);
  await tutor.getByRole('link', { name: 'Progress reviews' }).last().click();
  await audit(tutor, 'tutor-reviews-none');
  await tutor.getByRole('link', { name: 'Record a progress review' }).click();
  await tutor.getByTestId('snapshot-otj').getByRole('row', { name: /Approved 1 hour 30 minutes/ }).waitFor();
  await audit(tutor, 'tutor-review-form');
  await tutor.getByLabel('Date held').fill(isoDay(-400));
  await tutor.getByRole('button', { name: 'Save review' }).click();
  await tutor.getByRole('link', { name: /^Date held must not be before the apprenticeship started/ }).waitFor();
  await audit(tutor, 'tutor-review-form-errors');
  await tutor.getByLabel('Date held').fill(isoDay(-1));
  await tutor.getByLabel('Progress', { exact: true }).fill('S7 evidenced and signed off; off-the-job time under way.');
  await tutor.getByLabel('Concerns').fill('No wellbeing or safeguarding concerns; no change of circumstances.');
  await tutor.getByRole('button', { name: 'Add an action' }).click();
  await tutor.getByLabel('What is to be done (action 1)').fill('Write a reflective account on analyser maintenance');
  await tutor.getByLabel('Who does it (action 1)').selectOption('apprentice');
  await tutor.getByLabel('Due by (action 1)').fill(isoDay(30));
  await tutor.getByRole('button', { name: 'Save review' }).click();
  await tutor.getByText('Review recorded.', { exact: false }).waitFor();
  await audit(tutor, 'tutor-reviews');

  step('tutor opens the gateway: the checklist says what is missing, and records English and maths');
  await tutor.goto(`${progressPath}/gateway`);
  await settle(tutor);
  await tutor.getByTestId('gateway-state').getByText('On programme').waitFor();
  await tutor.getByTestId('check-all_ksbs_evidenced').getByText('Not met').waitFor();
  await tutor.getByLabel('English', { exact: true }).selectOption('achieved');
  await tutor.getByLabel('Maths', { exact: true }).selectOption('exempt');
  await tutor.getByRole('button', { name: 'Save English and maths' }).click();
  await tutor.getByTestId('english-maths-saved').waitFor();
  await tutor.getByTestId('check-english_maths').getByText('Met', { exact: true }).waitFor();
  await audit(tutor, 'tutor-gateway');
  step('tutor downloads the end-point assessment pack and the whole portfolio from the gateway page');
  const downloads = tutor.getByTestId('portfolio-downloads');
  for (const [label, extension, magic] of [
    ['Download the end-point assessment pack (PDF)', 'pdf', '%PDF-'],
    ['Download the whole portfolio (ZIP)', 'zip', 'PK'],
  ]) {
    const [saved] = await Promise.all([tutor.waitForEvent('download'), downloads.getByRole('button', { name: label }).click()]);
    const name = saved.suggestedFilename();
    expect(name === `portfolio-${seed.apprenticeship.id}.${extension}`, `downloaded ${name}`);
    const head = (await readFile(await saved.path())).subarray(0, magic.length).toString('latin1');
    expect(head === magic, `${name} starts with ${JSON.stringify(head)}`);
  }
  await auditPhone(tutor, 'tutor-gateway');

  step('the caseload lists the review as unsigned');
  await tutor.goto('/caseload');
  await settle(tutor);
  await tutor.getByLabel('Unsigned reviews only').check();
  await row(tutor).getByText('1 unsigned review').waitFor();
  await audit(tutor, 'tutor-caseload-unsigned');

  step('the apprentice, the mentor and the tutor sign the review');
  await apprentice.goto(reviewsPath);
  await settle(apprentice);
  await apprentice.getByRole('button', { name: /^Sign as apprentice/ }).click();
  await apprentice.getByTestId('signatures').getByText(/^Apprentice:/).waitFor();
  await audit(apprentice, 'apprentice-reviews-signed');
  await mentor.goto('/apprentices');
  await settle(mentor);
  await mentor.getByRole('link', { name: new RegExp(`^Reviews\\s*of ${seed.apprentice.name}$`) }).click();
  await audit(mentor, 'mentor-reviews');
  await mentor.getByRole('button', { name: /^Sign as employer/ }).click();
  await mentor.getByTestId('signatures').getByText(/^Employer:/).waitFor();
  await tutor.goto(reviewsPath);
  await settle(tutor);
  await tutor.getByRole('button', { name: /^Sign as training provider/ }).click();
  await tutor.getByText('Signed by all three').waitFor();
  await audit(tutor, 'tutor-reviews-signed');

  step('the caseload shows the review on time and nothing unsigned');
  await tutor.goto('/caseload');
  await settle(tutor);
  await row(tutor).getByText('Review on time').waitFor();
  const standing = await row(tutor).getByTestId('review-standing').innerText();
  expect(!/unsigned/i.test(standing), `no review should be unsigned now: "${standing}"`);
  await audit(tutor, 'tutor-caseload-after-review');
}

/**
 * The tutor changes the apprenticeship: sets the off-the-job plan (first below the floor, which
 * the server refuses naming the floor and why), starts and ends a break in learning on the
 * portfolio page, and reopens the review all three signed, whose signatures then show as void.
 */
async function planBreakReopenStory(tutor, seed, progressPath) {
  step('tutor sets the off-the-job plan; the server refuses a plan below the floor first');
  await tutor.goto(progressPath);
  await settle(tutor);
  await tutor.getByRole('link', { name: /^Change the plan, mentor, tutor or expected end date/ }).click();
  await tutor.getByRole('heading', { level: 1, name: /Change the apprenticeship/ }).waitFor();
  await audit(tutor, 'tutor-change-apprenticeship');
  await auditPhone(tutor, 'tutor-change-apprenticeship');
  await tutor.getByLabel('Planned off-the-job hours').fill('100');
  await tutor.getByRole('button', { name: 'Save changes' }).click();
  await tutor.locator('.nhsuk-error-summary').getByRole('link', { name: /^Planned off-the-job hours must be at least 187 hours \(the standard publishes no minimum/ }).waitFor();
  expect(await tutor.evaluate(() => document.activeElement?.classList.contains('nhsuk-error-summary') === true), 'focus should move to the error summary');
  await audit(tutor, 'tutor-change-apprenticeship-errors');
  await tutor.getByLabel('Planned off-the-job hours').fill('400');
  await tutor.getByRole('button', { name: 'Save changes' }).click();
  const changed = tutor.getByTestId('flash');
  await changed.getByText('Apprenticeship changed: 400 planned off-the-job hours.').waitFor();
  expect(await changed.evaluate((el) => el === document.activeElement), 'focus should be on the confirmation');
  await tutor.getByTestId('apprenticeship-summary').getByText('400 hours planned').waitFor();
  await audit(tutor, 'tutor-portfolio-plan-set');

  step('tutor starts a break in learning and ends it ten days later; the dates move by its length');
  const breaks = tutor.getByRole('region', { name: 'Breaks in learning' });
  await breaks.getByTestId('what-a-break-does').getByText('no progress review falls due', { exact: false }).waitFor();
  await breaks.getByLabel('First day of the break').fill(isoDay(-20));
  await breaks.getByLabel('Reason').fill('Sick leave');
  await breaks.getByRole('button', { name: 'Start the break' }).click();
  const done = tutor.getByTestId('break-done');
  await done.getByText('Break in learning started on', { exact: false }).waitFor();
  expect(await done.evaluate((el) => el === document.activeElement), 'focus should be on the confirmation');
  await tutor.getByTestId('apprenticeship-summary').getByText('(on a break in learning)', { exact: false }).waitFor();
  await audit(tutor, 'tutor-break-started');
  await breaks.getByLabel('Last day of the break').fill(isoDay(-11));
  await breaks.getByRole('button', { name: 'End the break' }).click();
  await done.getByText('after 10 days. The dates moved later by 10 days.', { exact: false }).waitFor();
  expect(await done.evaluate((el) => el === document.activeElement), 'focus should be on the confirmation');
  await breaks.getByTestId('breaks').getByRole('row', { name: /10 days Sick leave/ }).waitFor();
  await audit(tutor, 'tutor-break-ended');
  await auditPhone(tutor, 'tutor-break-ended');

  step('tutor reopens the signed review; its three signatures show as void');
  await tutor.goto(`${progressPath}/reviews`);
  await settle(tutor);
  const card = tutor.getByTestId('review').filter({ hasText: 'Signed by all three' });
  await card.locator('summary', { hasText: 'Reopen this review' }).click();
  await card.getByLabel('Why must the signed review change?').fill('The progress notes missed the K5 audit.');
  await audit(tutor, 'tutor-review-reopen');
  await card.getByRole('button', { name: /^Reopen this review/ }).click();
  const reopened = tutor.getByTestId('review-reopened');
  await reopened.getByText('are now void', { exact: false }).waitFor();
  expect(await reopened.evaluate((el) => el === document.activeElement), 'focus should be on the confirmation');
  const signatures = tutor.getByTestId('signatures').locator('li');
  const lines = (await signatures.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  expect(lines.length === 3 && lines.every((l) => l.startsWith('Void') && /void since .+: The progress notes missed the K5 audit\.\)$/.test(l)), `the signatures should be void: ${JSON.stringify(lines)}`);
  await tutor.getByText('Draft', { exact: true }).waitFor();
  await audit(tutor, 'tutor-review-reopened');
}
