// Organizational life in the browser: a branch secretary plans a committee meeting, the
// members check in on their phones with one-time codes, the minutes are written and a photo
// attached, the secretary locks the record; the general branch's compliance page shows the
// branch's committee meeting held this month while another branch has not; the year's record
// book prints. Run through ./run (it starts the server).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PHONE, launch, newPage, shot, signIn } from './lib.mjs';

/** A 1×1 PNG: a photo, as far as the server can tell. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('a committee meeting, from the plan to the record book', { timeout: 180_000 }, () => {
  let browser;
  let page;
  let branchHref;
  let branchName;
  let meetingUrl;
  let links = [];

  before(async () => {
    browser = await launch();
    page = await newPage(browser);
    await signIn(page, 'branchsec');
  });

  after(async () => {
    await browser?.close();
  });

  test('the secretary plans a committee meeting from the branch page', async () => {
    await page.goto(`${BASE_URL}/people`);
    const person = await page.locator('#people-table tbody tr a[href^="/people/"]').first().getAttribute('href');
    await page.goto(`${BASE_URL}${person}`);
    branchHref = await page.locator('.breadcrumb a[href^="/orgs/"]').getAttribute('href');
    branchName = (await page.locator('.breadcrumb a[href^="/orgs/"]').innerText()).trim();
    await page.goto(`${BASE_URL}${branchHref}/meetings`);
    const form = page.locator('#plan-form');
    await form.locator('#kind').selectOption('committee_meeting');
    await form.locator('#topic').fill('研究发展党员和主题党日安排');
    // This minute, Shanghai time: it may be recorded as held at once.
    const shanghaiNow = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16);
    await form.locator('#starts_at').fill(shanghaiNow);
    await form.locator('#place').fill('党员活动室');
    await form.locator('#first_agenda_item').fill('学习习近平总书记重要讲话精神');
    await form.locator('#agenda').fill('讨论发展对象人选\n研究下月主题党日');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'meeting_planned'),
      form.locator('button[type="submit"]').click(),
    ]);
    meetingUrl = page.url().split('?')[0];
    assert.ok((await page.locator('#roll select').count()) >= 1, 'the committee is on the roll');
  });

  test('one-time codes are shown as QR codes, one per member', async () => {
    await Promise.all([
      page.waitForURL((u) => u.pathname.endsWith('/check-ins')),
      page.locator('#check-in-form button').click(),
    ]);
    links = await page.locator('.check-in-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length >= 1, links.join('\n'));
    assert.equal(await page.locator('.check-in-code svg').count(), links.length);
    await shot(page, 'check-in-codes');
  });

  test('the members check in on their phones, each code once', async () => {
    const phone = await newPage(browser, PHONE);
    for (const link of links) {
      await phone.goto(link);
      await phone.getByRole('button', { name: '签到' }).click();
      await phone.locator('#checked-in').waitFor();
    }
    await shot(phone, 'check-in-phone');
    // The same code again: refused.
    await phone.goto(links[0]);
    assert.match(await phone.locator('.flash.err').innerText(), /已使用/);
    await phone.context().close();
  });

  test('the minutes are written, a photo attached, and the secretary locks the record', async () => {
    await page.goto(meetingUrl);
    assert.equal(await page.locator('#roll .tag').count(), links.length, 'everyone checked in');
    const hold = page.locator('#hold-form');
    await hold.locator('#minutes').fill('会议讨论了发展对象人选，研究了下月主题党日安排。');
    await hold.locator('#resolutions').fill('同意确定两名发展对象，报党总支备案。');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'meeting_held'),
      hold.locator('button[type="submit"]').click(),
    ]);
    assert.match(await page.locator('#meeting-state').innerText(), /已召开/);
    await page.locator('#photo-form input[type="file"]').setInputFiles({ name: '会场.png', mimeType: 'image/png', buffer: PNG });
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'uploaded'),
      page.locator('#photo-form button[type="submit"]').click(),
    ]);
    assert.equal(await page.locator('#photos img').count(), 1);
    page.once('dialog', (d) => d.accept());
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'meeting_locked'),
      page.getByRole('button', { name: '书记确认并锁定' }).click(),
    ]);
    assert.match(await page.locator('#meeting-state').innerText(), /已确认/);
    await shot(page, 'meeting-locked');
  });

  test("the general branch's compliance shows this branch's committee meeting held, another's not", async () => {
    const gb = await newPage(browser);
    await signIn(gb, 'gbsec');
    // The general branch above the branch, as its secretary sees the trail.
    await gb.goto(`${BASE_URL}${branchHref}`);
    const parentHref = await gb.locator('.breadcrumb a').nth(-2).getAttribute('href');
    await gb.goto(`${BASE_URL}${parentHref}/compliance`);
    const rows = await gb.locator('#compliance tbody tr').allInnerTexts();
    const committee = rows.filter((r) => /支委会（每月）/.test(r));
    assert.ok(committee.some((r) => r.includes(branchName) && /已召开/.test(r)), committee.join('\n'));
    assert.ok(committee.some((r) => !r.includes(branchName) && /未召开/.test(r)), committee.join('\n'));
    await shot(gb, 'compliance');
    await gb.context().close();
  });

  test("the year's record book prints", async () => {
    await page.goto(`${BASE_URL}${branchHref}/meetings`);
    await Promise.all([
      page.waitForURL((u) => u.pathname.endsWith('/record-book')),
      page.locator('#record-book-link').click(),
    ]);
    const book = await page.locator('#record-book').innerText();
    assert.ok(book.includes('研究发展党员和主题党日安排') && book.includes('同意确定两名发展对象'), book.slice(0, 500));
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.top').isVisible(), false, 'the print has no menus');
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10_000 && pdf.subarray(0, 4).toString() === '%PDF');
    await page.emulateMedia({ media: 'screen' });
    await shot(page, 'record-book');
  });
});
