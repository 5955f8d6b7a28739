// Signs in to a running dangjian demo in Debian's Chromium and walks the first pages.
// Run through ./run (it starts the server); by hand: BASE_URL=http://127.0.0.1:8080
// DEMO_PASSWORD=… node --test signin.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO_PASSWORD, DESKTOP, PHONE, launch, newPage, path, shot } from './lib.mjs';

describe('sign in, look around, sign out', { timeout: 120_000 }, () => {
  let browser;
  let page;

  before(async () => {
    browser = await launch();
    page = await newPage(browser);
  });

  after(async () => {
    await browser?.close();
  });

  test('the login page shows the form', async () => {
    const resp = await page.goto(`${BASE_URL}/login`);
    assert.equal(resp.status(), 200);
    assert.match(await page.title(), /登录/);
    await page.locator('input[name="username"]').waitFor();
    await page.locator('input[name="password"]').waitFor();
    const submit = page.locator('button[type="submit"]');
    assert.equal((await submit.innerText()).trim(), '登录');
  });

  test('an empty username is refused with 422 and a field error', async () => {
    await page.fill('input[name="username"]', '');
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
      page.locator('button[type="submit"]').click(),
    ]);
    assert.equal(resp.status(), 422);
    // The page before had no field error: waiting for one waits for the re-shown form.
    await page.locator('.field-error').first().waitFor();
    const errors = await page.locator('.field-error').allInnerTexts();
    assert.ok(
      errors.some((e) => e.includes('用户名')),
      `a .field-error should name 用户名, got ${JSON.stringify(errors)}`,
    );
    await page.locator('input[name="username"]').waitFor();
    await page.locator('input[name="password"]').waitFor();
    assert.equal((await page.locator('button[type="submit"]').innerText()).trim(), '登录');
  });

  test('admin signs in and lands on the home page', async () => {
    await page.fill('input[name="username"]', 'admin');
    await page.fill('input[name="password"]', DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/'),
      page.locator('button[type="submit"]').click(),
    ]);
    assert.match(await page.locator('h1').first().innerText(), /首页/);
    assert.match(await page.locator('header').first().innerText(), /组织部 王建国/);
    await shot(page, 'home-desktop');
  });

  test('the home page fits a phone', async () => {
    await page.setViewportSize(PHONE);
    await page.reload();
    assert.match(await page.locator('h1').first().innerText(), /首页/);
    await shot(page, 'home-phone');
    await page.setViewportSize(DESKTOP);
    await page.reload();
  });

  test('the side menu opens the organization list', async () => {
    const link = page.locator('nav.side-menu a', { hasText: '组织机构' }).first();
    const target = new URL(await link.getAttribute('href'), page.url()).pathname;
    assert.notEqual(target, '/', 'the 组织机构 link leads away from the home page');
    await Promise.all([page.waitForURL((u) => u.pathname === target), link.click()]);
    const table = page.locator('table.data-table').first();
    await table.waitFor();
    const rows = page.locator('table.data-table tr', { hasText: '党总支' });
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 1, 'at least one row names a 党总支');
    await shot(page, 'orgs-desktop');
  });

  test('signing out returns to the login page and closes the session', async () => {
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/login'),
      page.locator('header').getByRole('button', { name: '退出登录' }).click(),
    ]);
    await page.locator('input[name="username"]').waitFor();
    await page.goto(`${BASE_URL}/`);
    assert.equal(path(page), '/login', `visiting / after sign-out should end on /login, got ${page.url()}`);
    await page.locator('input[name="password"]').waitFor();
  });
});
