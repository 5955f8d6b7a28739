// Organizational life in the browser: a branch secretary plans a theme day, takes the roll,
// writes the minutes and locks the record; the compliance page of the branch shows it held.
// Run through ./run (it starts the server).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, newPage, shot, signIn } from './lib.mjs';

/** A 1×1 PNG: a photo, as far as the server can tell. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('a theme day, as a branch secretary', { timeout: 120_000 }, () => {
  let browser;
  let page;
  let branchHref;

  before(async () => {
    browser = await launch();
    page = await newPage(browser);
    await signIn(page, 'branchsec');
  });

  after(async () => {
    await browser?.close();
  });

  test('the secretary plans a theme day from the branch page', async () => {
    await page.goto(`${BASE_URL}/people`);
    const person = await page.locator('#people-table tbody tr a[href^="/people/"]').first().getAttribute('href');
    await page.goto(`${BASE_URL}${person}`);
    branchHref = await page.locator('.breadcrumb a[href^="/orgs/"]').getAttribute('href');
    await page.goto(`${BASE_URL}${branchHref}/meetings`);
    const form = page.locator('#plan-form');
    await form.locator('#kind').selectOption('theme_day');
    await form.locator('#topic').fill('重温入党誓词主题党日');
    // This minute, Shanghai time: it may be recorded as held at once.
    const shanghaiNow = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16);
    await form.locator('#starts_at').fill(shanghaiNow);
    await form.locator('#place').fill('党员活动室');
    await form.locator('#first_agenda_item').fill('学习习近平总书记重要讲话精神');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'meeting_planned'),
      form.locator('button[type="submit"]').click(),
    ]);
    assert.ok((await page.locator('#roll select').count()) > 0, 'the members are on the roll');
  });

  test('the roll is taken, the minutes written, the record locked', async () => {
    const hold = page.locator('#hold-form');
    await hold.locator('#roll select').last().selectOption('excused');
    await hold.locator('#roll input').last().fill('外出培训');
    await hold.locator('#minutes').fill('全体党员重温入党誓词，交流学习体会。');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'meeting_held'),
      hold.locator('button[type="submit"]').click(),
    ]);
    assert.match(await page.locator('#meeting-state').innerText(), /已召开/);
    page.once('dialog', (d) => d.accept());
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'meeting_locked'),
      page.getByRole('button', { name: '书记确认并锁定' }).click(),
    ]);
    assert.match(await page.locator('#meeting-state').innerText(), /已确认/);
    // A photo of the meeting is added to the locked record.
    await page.locator('#photo-form input[type="file"]').setInputFiles({ name: '会场.png', mimeType: 'image/png', buffer: PNG });
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'uploaded'),
      page.locator('#photo-form button[type="submit"]').click(),
    ]);
    assert.equal(await page.locator('#photos img').count(), 1);
    await shot(page, 'meeting-locked');
  });

  test("the branch's compliance shows this month's theme day held", async () => {
    await page.goto(`${BASE_URL}${branchHref}/compliance`);
    const rows = await page.locator('#compliance tbody tr').allInnerTexts();
    assert.ok(rows.some((r) => /主题党日（每月）/.test(r) && /已召开/.test(r)), rows.join('\n'));
    await shot(page, 'compliance');
  });
});
