// Links read from e-mail, as received by the real SMTP server scripts/e2e.sh started (aiosmtpd,
// keeping each message as a file of the Maildir at $KSBFOLIO_E2E_MAILDIR). Signing in through an
// e-mailed link: ask on the sign-in page, read the message, open its link, press Continue.
// Password links: `mailedLink`.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { audit, settle, watchSecurityPolicy } from './browser.mjs';

/** The body of a quoted-printable or 7-bit message, soft line breaks and =XX escapes undone. */
function decodeQuotedPrintable(text) {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** Where the SMTP server delivers: the Maildir's `new` folder, one file per message. */
function mailDir() {
  const maildir = process.env.KSBFOLIO_E2E_MAILDIR;
  if (!maildir) throw new Error('KSBFOLIO_E2E_MAILDIR is not set: run the e2e tests with scripts/e2e.sh');
  return path.join(maildir, 'new');
}

/** The messages received so far: pass to `mailedLink` to read only newer ones. */
export async function mailNames() {
  return new Set(await readdir(mailDir()).catch(() => []));
}

const KINDS = {
  signIn: { subject: 'your sign-in link', link: /Sign in: (http\S+)/ },
  password: { subject: 'set your password', link: /Set your password: (http\S+)/ },
};

/** The link of the newest message of `kind` ('signIn' or 'password') to `email` not in `after`. */
export async function mailedLink(email, after, kind) {
  const { subject, link } = KINDS[kind];
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const names = (await readdir(mailDir()).catch(() => [])).sort();
    for (const name of names.reverse()) {
      if (after.has(name)) continue;
      const raw = decodeQuotedPrintable(await readFile(path.join(mailDir(), name), 'utf8'));
      if (!raw.includes(email) || !raw.includes(subject)) continue;
      const match = raw.match(link);
      if (match) return match[1];
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no "${subject}" e-mail for ${email}`);
}

export async function signInByLink(browser, baseUrl, email, name) {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`  [${name} page error] ${error.message}`));
  watchSecurityPolicy(page, name);
  const before = await mailNames();
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByTestId('sign-in-link-sent').waitFor();
  await audit(page, `${name}-sign-in-link-sent`);
  const link = await mailedLink(email, before, 'signIn');
  await page.goto(link);
  await audit(page, `${name}-sign-in-link`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await settle(page);
  return page;
}
