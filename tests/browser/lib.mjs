// What every browser test shares: the server and password that ./run sets, Debian's Chromium,
// screenshots, and signing in.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? '';
// A second demo server whose clock reads CLOCK_FILE, for walks through rules that take years.
export const CLOCK_URL = (process.env.CLOCK_URL ?? '').replace(/\/+$/, '');
export const CLOCK_FILE = process.env.CLOCK_FILE ?? '';
if (!BASE_URL || !DEMO_PASSWORD) {
  throw new Error(
    'BASE_URL and DEMO_PASSWORD must be set (e.g. BASE_URL=http://127.0.0.1:8080); ' +
      'tests/browser/run starts a demo server and sets both.',
  );
}

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = process.env.SCREENSHOT_DIR ?? fileURLToPath(new URL('./screenshots/', import.meta.url));
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

mkdirSync(SHOTS, { recursive: true });
export const shot = (page, name) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
export const path = (page) => new URL(page.url()).pathname;

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function newPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** Signs in; when sign-ins come too fast for the server's throttle (429), waits and tries again. */
export async function signIn(page, username, base = BASE_URL) {
  for (let attempt = 1; ; attempt++) {
    const shown = await page.goto(`${base}/login`);
    if (shown?.status() === 429 && attempt < 20) {
      await page.waitForTimeout(2_500);
      continue;
    }
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
      page.locator('button[type="submit"]').click(),
    ]);
    if (answer.status() === 429 && attempt < 20) {
      await page.waitForTimeout(2_500);
      continue;
    }
    await page.waitForURL((u) => u.pathname === '/');
    return;
  }
}
