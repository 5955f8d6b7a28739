// Member development in the browser: 组织部 opens a demo applicant whose talk is still to
// come, records it (with a reason, should it be late), and is refused a step dated tomorrow;
// a branch secretary reads their branch's board. 组织部 reads the tree of a past day.
// Run through ./run (it starts the server); by hand: BASE_URL=http://127.0.0.1:8080
// DEMO_PASSWORD=… node --test development.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, newPage, shot, signIn } from './lib.mjs';

describe('member development, as 组织部 (admin) and a branch secretary', { timeout: 120_000 }, () => {
  let browser;
  let page;
  let personId;

  before(async () => {
    browser = await launch();
    page = await newPage(browser);
  });

  after(async () => {
    await browser?.close();
  });

  test("admin opens a demo applicant whose talk is still to come and reads the record", async () => {
    await signIn(page, 'admin');
    await page.goto(`${BASE_URL}/people?status=applicant&per_page=50`);
    const hrefs = await page
      .locator('#people-table tbody tr a[href^="/people/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of hrefs) {
      await page.goto(`${BASE_URL}${href}/development`);
      if ((await page.locator('#form-talk').count()) > 0) {
        personId = Number(href.split('/').pop());
        break;
      }
    }
    assert.ok(personId, 'some demo applicant waits for the talk');
    const rows = await page.locator('#steps tbody tr').allInnerTexts();
    assert.equal(rows.length, 1, rows.join('\n'));
    assert.match(rows[0], /1\. 递交入党申请书/);
    assert.match(await page.locator('#form-talk').innerText(), /一个月内派人谈话（细则第七条）/);
  });

  test('the talk is recorded, with a reason in case it is late', async () => {
    const form = page.locator('#form-talk');
    await form.locator('input[name="override_reason"]').fill('申请人外出实习，返校后谈话');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'step_recorded'),
      form.locator('button[type="submit"]').click(),
    ]);
    const rows = await page.locator('#steps tbody tr').allInnerTexts();
    assert.equal(rows.length, 2, rows.join('\n'));
    assert.match(rows[1], /2\. 党组织派人谈话/);
    await shot(page, 'development-person');
  });

  test('a step dated tomorrow is refused and nothing is recorded', async () => {
    const form = page.locator('#form-activist_chosen');
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await form.locator('input[name="on"]').evaluate((el, v) => {
      el.removeAttribute('max');
      el.value = v;
    }, tomorrow);
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      form.locator('button[type="submit"]').click(),
    ]);
    assert.equal(resp.status(), 422);
    assert.match(await page.locator('#form-activist_chosen [role="alert"]').innerText(), /日期：不能晚于今天/);
    assert.equal(await page.locator('#steps tbody tr').count(), 2, 'nothing was recorded');
  });

  test("the branch secretary's board lists their people by stage and counts the year", async () => {
    // A browser of their own: the admin's session stays in the other one.
    page = await newPage(browser);
    await signIn(page, 'branchsec');
    await page.goto(`${BASE_URL}/people`);
    const href = await page.locator('#people-table tbody tr a[href^="/people/"]').first().getAttribute('href');
    await page.goto(`${BASE_URL}${href}`);
    const branchHref = await page.locator('.breadcrumb a[href^="/orgs/"]').getAttribute('href');
    await page.goto(`${BASE_URL}${branchHref}/development`);
    const text = await page.locator('main').innerText();
    assert.match(text, /入党申请人（\d+ 人）/);
    assert.match(text, /待办与逾期/);
    await page.locator('#funnel tbody td').first().waitFor();
    await shot(page, 'development-board');
  });
});

describe('the tree of a past day, as 组织部 (admin)', { timeout: 60_000 }, () => {
  let browser;
  let page;

  before(async () => {
    browser = await launch();
    page = await newPage(browser);
  });

  after(async () => {
    await browser?.close();
  });

  test('admin picks a past day and reads the tree of that day', async () => {
    await signIn(page, 'admin');
    await page.goto(`${BASE_URL}/orgs`);
    await page.fill('#as_of', '2025-01-01');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('as_of') === '2025-01-01'),
      page.getByRole('button', { name: '筛选' }).click(),
    ]);
    await page.locator('#past-tree').waitFor();
    assert.match(await page.locator('#past-tree-note').innerText(), /2025-01-01 的组织机构/);
    assert.ok((await page.locator('#past-tree tbody tr').count()) > 1);
    await shot(page, 'orgs-past-tree');
  });
});
