// The regulations' reminders in the browser: the organization department finds the demo's
// lost, abroad and graduated members due on 组织提醒 and suspends a lost member's membership from
// their page; a branch records a 联合党支部's units and sees more than five warned of; a 党课
// is refused without its lecturer and shows the one chosen. Run through ./run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, newPage, shot, signIn } from './lib.mjs';

describe('reminders of the regulations', { timeout: 180_000 }, () => {
  let browser;
  let page;

  before(async () => {
    browser = await launch();
    page = await newPage(browser);
    await signIn(page, 'admin');
  });

  after(async () => {
    await browser?.close();
  });

  test('组织提醒 lists the members lost, abroad and graduated, each with what is due', async () => {
    await page.goto(`${BASE_URL}/orgs/alerts`);
    const rows = page.locator('#whereabouts-due tbody tr');
    assert.ok((await rows.count()) >= 3, await page.locator('#whereabouts-due').innerText());
    const text = await page.locator('#whereabouts-due').innerText();
    for (const due of ['停止党籍', '与出国（境）党员联系', '转出组织关系']) {
      assert.match(text, new RegExp(due.replace(/[()（）]/g, '.')), text);
    }
    await shot(page, 'alerts-whereabouts');
  });

  test('a lost member is suspended from their page, and too early a day is refused', async () => {
    const lost = page.locator('#whereabouts-due tbody tr', { hasText: '停止党籍' }).first();
    const href = await lost.locator('a[href^="/people/"]').getAttribute('href');
    await page.goto(`${BASE_URL}${href}`);
    const form = page.locator('form.whereabouts-change').first();
    await form.locator('select[name="act"]').selectOption('suspend');
    // The demo's lost member was last reached eight months ago: a month later is too early.
    const since = (await page.locator('#whereabouts tbody tr td').nth(1).innerText()).trim();
    const early = new Date(`${since}T00:00:00Z`);
    early.setUTCMonth(early.getUTCMonth() + 1);
    await form.locator('input[name="on"]').fill(early.toISOString().slice(0, 10));
    await form.locator('button[type="submit"]').click();
    assert.match(await page.locator('.flash.err').innerText(), /满 6 个月/);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const again = page.locator('form.whereabouts-change').first();
    await again.locator('select[name="act"]').selectOption('suspend');
    await again.locator('input[name="on"]').fill(today);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'whereabouts_changed'),
      again.locator('button[type="submit"]').click(),
    ]);
    assert.match(await page.locator('#whereabouts').innerText(), new RegExp(`${today}[\\s\\S]*按自行脱党除名`));
    await shot(page, 'person-whereabouts');
  });

  test('a joint branch records its units and more than five is warned of', async () => {
    await page.goto(`${BASE_URL}/orgs?kind=branch`);
    const branch = await page.locator('table a[href^="/orgs/"]').first().getAttribute('href');
    await page.goto(`${BASE_URL}${branch}`);
    const form = page.locator('#joint-units-form');
    await form.locator('#joint_units').fill('化学系\n物理系\n数学系\n生物系\n地理系\n图书馆');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'joint_units_saved'),
      form.locator('button[type="submit"]').click(),
    ]);
    assert.match(await page.locator('#joint-units').innerText(), /覆盖 6 个单位/);
    assert.match(await page.locator('.flash.warn').allInnerTexts().then((t) => t.join('\n')), /一般不超过 5 个/);
    await shot(page, 'org-joint-units');
  });

  test('a 党课 is planned with its lecturer, and refused without one', async () => {
    const branch = new URL(page.url()).pathname;
    await page.goto(`${BASE_URL}${branch}/meetings`);
    const form = page.locator('#plan-form');
    await form.locator('#kind').selectOption('party_lecture');
    await form.locator('#topic').fill('学习党的二十届四中全会精神');
    const later = new Date(Date.now() + 8 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 16);
    await form.locator('#starts_at').fill(later);
    await form.locator('#place').fill('报告厅');
    await form.locator('button[type="submit"]').click();
    assert.match(await page.locator('#plan-form .flash.err').innerText(), /党课应登记讲课人/);
    const again = page.locator('#plan-form');
    await again.locator('#kind').selectOption('party_lecture');
    await again.locator('#topic').fill('学习党的二十届四中全会精神');
    await again.locator('#starts_at').fill(later);
    await again.locator('#place').fill('报告厅');
    const secretary = again.locator('#lecturer_id option', { hasText: '（书记）' });
    const chosen = (await secretary.count()) > 0 ? secretary.first() : again.locator('#lecturer_id option').nth(1);
    const value = await chosen.getAttribute('value');
    const name = (await chosen.innerText()).replace(/（.*）$/, '').trim();
    await again.locator('#lecturer_id').selectOption(value);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'meeting_planned'),
      again.locator('button[type="submit"]').click(),
    ]);
    assert.equal((await page.locator('#lecturer').innerText()).trim(), name);
    await shot(page, 'lecture-lecturer');
  });
});
