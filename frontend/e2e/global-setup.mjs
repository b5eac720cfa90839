// Once per run, before any test: screenshots of this run only, so an old one cannot pass for a
// page this run never reached; and the browser must be Debian's, installed, never downloaded.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { ARTIFACTS, CHROMIUM } from './browser.mjs';

export default function globalSetup() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}. Install Debian's: apt-get install -y chromium`);
  }
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
}
