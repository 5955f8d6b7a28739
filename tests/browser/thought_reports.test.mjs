// Thought reports and the ledgers in the browser: the demo's activist hands in a report on a
// phone, a report without its text is refused by name; the mentor reads it from the message
// and answers; the activist sees the answer; the branch's ledgers show the report and the
// gaps of the year, and its compliance calendar. Run through ./run (it starts the server).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PHONE, launch, newPage, shot, signIn } from './lib.mjs';

describe('a thought report from the activist to the mentor, and the ledgers', { timeout: 120_000 }, () => {
  let browser;
  let reportUrl;

  before(async () => {
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  test('the activist hands in a report on a phone', async () => {
    const page = await newPage(browser, PHONE);
    await signIn(page, 'activist');
    await page.goto(`${BASE_URL}/my/thought-reports`);
    const form = page.locator('#report-form');
    await form.locator('#title').fill('2026年第四季度思想汇报');
    await form.locator('button[type="submit"]').click();
    await page.waitForLoadState();
    assert.match(await page.locator('#report-form [role="alert"]').innerText(), /汇报内容：请填写汇报内容/);
    assert.equal(await form.locator('#title').inputValue(), '2026年第四季度思想汇报', 'what was typed is kept');
    await form.locator('#body').fill('敬爱的党组织：\n本季度我认真学习了党章，参加了主题党日活动。\n请党组织考验。');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'report_handed_in'),
      form.locator('button[type="submit"]').click(),
    ]);
    const first = page.locator('#my-reports tbody tr').first();
    assert.match(await first.innerText(), /2026年第四季度思想汇报/);
    assert.match(await first.innerText(), /尚未回复/);
    reportUrl = await first.locator('a').getAttribute('href');
    await shot(page, 'thought-report-handed-in-phone');
    await page.context().close();
  });

  test('the mentor is told, reads it and answers once', async () => {
    const page = await newPage(browser);
    await signIn(page, 'mentor');
    await page.goto(`${BASE_URL}/notifications`);
    assert.match(await page.locator('main').innerText(), /递交了思想汇报：2026年第四季度思想汇报/);
    await page.goto(`${BASE_URL}/my/thought-reports`);
    assert.match(await page.locator('#mentee-reports').innerText(), /待回复/);
    await page.goto(`${BASE_URL}${reportUrl}`);
    assert.match(await page.locator('#report-body').innerText(), /认真学习了党章/);
    await page.locator('#answer').fill('汇报真实，望继续结合专业学习，在班级中发挥作用。');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'report_answered'),
      page.locator('#answer-form button[type="submit"]').click(),
    ]);
    assert.match(await page.locator('#report-answer').innerText(), /发挥作用/);
    assert.equal(await page.locator('#answer-form').count(), 0, 'answered once');
    await shot(page, 'thought-report-answered');
    await page.context().close();
  });

  test('the activist sees the answer', async () => {
    const page = await newPage(browser, PHONE);
    await signIn(page, 'activist');
    await page.goto(`${BASE_URL}${reportUrl}`);
    assert.match(await page.locator('#report-answer').innerText(), /望继续结合专业学习/);
    await page.context().close();
  });

  test('the branch ledgers show the report and the year\'s gaps', async () => {
    const page = await newPage(browser);
    await signIn(page, 'admin');
    await page.goto(`${BASE_URL}${reportUrl}`);
    const { org_id: branch, person_id: writer } = await page.evaluate(async (url) => {
      const r = await fetch(`/api/v1${url}`);
      return r.json();
    }, reportUrl);
    await page.goto(`${BASE_URL}/people/${writer}/development`);
    assert.match(await page.locator('#person-reports').innerText(), /2026年第四季度思想汇报/);
    await page.goto(`${BASE_URL}/orgs/${branch}`);
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/ledgers')), page.locator('#ledgers-link').click()]);
    assert.equal(await page.locator('table.ledger').count(), 5, 'five ledgers');
    const reports = page.locator('#item-thought_reports');
    assert.ok(Number(await reports.locator('td').nth(1).innerText()) >= 1, 'the report is in the ledger');
    assert.match(await page.locator('#item-dues_collection').innerText(), /党费管理/);
    assert.match(await page.locator('#ledger-summary').innerText(), /缺项/);
    await shot(page, 'ledgers');
    await page.goto(`${BASE_URL}/orgs/${branch}/compliance`);
    await Promise.all([
      page.waitForURL((u) => u.pathname.endsWith('/compliance-calendar')),
      page.locator('#calendar-link').click(),
    ]);
    assert.equal(await page.locator('#compliance-calendar thead th').count(), 13, 'a column a month');
    assert.ok((await page.locator('#compliance-calendar td.kept').count()) > 0, 'months kept');
    await shot(page, 'compliance-calendar');
    await page.goto(`${BASE_URL}/orgs/${branch}/member-life`);
    assert.ok((await page.locator('#member-life tbody tr').count()) >= 1);
    await shot(page, 'member-life');
    await page.context().close();
  });
});
