// Member development in the browser: a branch secretary opens an applicant of their branch,
// records the application and the talk, and is refused a step whose time has not come, with
// the rule and its source; the branch's board lists the people by stage and counts the year. 组织部 reads the
// tree of a past day.
// Run through ./run (it starts the server); by hand: BASE_URL=http://127.0.0.1:8080
// DEMO_PASSWORD=… node --test development.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, newPage, shot, signIn } from './lib.mjs';

describe('member development, as a branch secretary (branchsec)', { timeout: 120_000 }, () => {
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

  test('branchsec opens an applicant of their branch and sees the first step due', async () => {
    await signIn(page, 'branchsec');
    await page.goto(`${BASE_URL}/people?status=applicant`);
    const link = page.locator('#people-table tbody tr a[href^="/people/"]').first();
    personId = Number((await link.getAttribute('href')).split('/').pop());
    await page.goto(`${BASE_URL}/people/${personId}`);
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/people/${personId}/development`),
      page.getByRole('link', { name: '发展纪实' }).click(),
    ]);
    await page.locator('#form-application').waitFor();
    assert.match(await page.locator('#form-application').innerText(), /年满 18 周岁（细则第五条）/);
  });

  test('the application and the talk are recorded, each with its rule beside it', async () => {
    for (const step of ['application', 'talk']) {
      const form = page.locator(`#form-${step}`);
      await Promise.all([
        page.waitForURL((u) => u.searchParams.get('notice') === 'step_recorded'),
        form.locator('button[type="submit"]').click(),
      ]);
    }
    const rows = await page.locator('#steps tbody tr').allInnerTexts();
    assert.equal(rows.length, 2, rows.join('\n'));
    assert.match(rows[0], /1\. 递交入党申请书/);
    assert.match(rows[1], /2\. 党组织派人谈话/);
    await shot(page, 'development-person');
  });

  test('an activist chosen the same day is refused: the application is not six months old', async () => {
    const form = page.locator('#form-activist_chosen');
    await form.locator('input[name="by_league"]').check();
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      form.locator('button[type="submit"]').click(),
    ]);
    assert.equal(resp.status(), 422);
    const alert = await page.locator('#form-activist_chosen [role="alert"]').innerText();
    assert.match(alert, /满 6 个月后方可确定为入党积极分子/);
    assert.match(alert, /细则第八条/);
    assert.equal(await page.locator('#steps tbody tr').count(), 2, 'nothing was recorded');
  });

  test("the branch's board lists the applicant", async () => {
    await page.goto(`${BASE_URL}/people/${personId}`);
    const branchHref = await page.locator('.breadcrumb a[href^="/orgs/"]').getAttribute('href');
    await page.goto(`${BASE_URL}${branchHref}/development`);
    const text = await page.locator('main').innerText();
    assert.match(text, /入党申请人（\d+ 人）/);
    assert.ok(await page.locator(`a[href="/people/${personId}/development"]`).count() > 0);
    // This year's funnel counts the application just recorded.
    const applications = Number(await page.locator('#funnel tbody td').first().innerText());
    assert.ok(applications >= 1, `递交入党申请书 ${applications}`);
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
