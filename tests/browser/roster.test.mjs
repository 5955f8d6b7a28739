// The roster story, as 组织部 (admin, the whole university): the organization tree and the
// dashboard, one member added by hand (a wrong ID check digit first), a roster imported from
// .xlsx (one bad row first), a transfer started and received, the dashboard again, the phone
// layout; then a branch secretary who sees only their own branch.
// Run through ./run (it starts the server); by hand: BASE_URL=http://127.0.0.1:8080
// DEMO_PASSWORD=… node --test roster.test.mjs
// Expects a fresh `dangjian demo` (seed 003: 2207 members, 17 general branches, 74 branches).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import ExcelJS from 'exceljs';
import { BASE_URL, DESKTOP, PHONE, launch, newPage, path, shot, signIn } from './lib.mjs';

const UNIVERSITY = '中共示范大学委员会';
const BRANCH = '马克思主义学院教工第一党支部';
const OTHER_BRANCH = '图书馆党支部';
const DEMO_MEMBERS = 2207;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';


// ---- 公民身份号码 (GB 11643-1999) ----

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
const checkChar = (first17) =>
  ID_CHECK[[...first17].reduce((sum, d, i) => sum + Number(d) * ID_WEIGHTS[i], 0) % 11];

// Sequences used in this run, so that no two numbers made here are the same.
const usedSequences = new Set();
/** A fresh valid number: region 110101 (东城区), a birth date in 1975–1990, a random sequence. */
function newNationalId() {
  const y = randomInt(1975, 1991);
  const m = String(randomInt(1, 13)).padStart(2, '0');
  const d = String(randomInt(1, 29)).padStart(2, '0');
  let seq;
  do {
    seq = String(randomInt(100, 1000));
  } while (usedSequences.has(seq));
  usedSequences.add(seq);
  const first17 = `110101${y}${m}${d}${seq}`;
  return first17 + checkChar(first17);
}
/** The same number with a check character that is not its own. */
function withWrongCheck(id) {
  const right = ID_CHECK.indexOf(id[17]);
  return id.slice(0, 17) + ID_CHECK[(right + 1 + randomInt(0, 10)) % 11];
}
const newPhone = () => `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
const newStaffNo = () => `T${randomInt(100000, 1000000)}`;

/** The dashboard's figures: label → number, from every `.card.stat`. */
async function statCards(page) {
  const cards = await page.locator('.card.stat').evaluateAll((els) =>
    els.map((e) => [
      [...e.children].filter((c) => !c.classList.contains('num')).map((c) => c.textContent.trim()).join(' '),
      e.querySelector('.num')?.textContent.trim(),
    ]),
  );
  return Object.fromEntries(cards.map(([label, num]) => [label, Number(num)]));
}

/**
 * Waits until ECharts has drawn into every `.chart` and its animation has ended: each chart's
 * canvas (or svg) stays the same between two polls.
 */
async function chartsDrawn(page) {
  await page.locator('#chart-status canvas, #chart-status svg').first().waitFor();
  await page.waitForFunction(
    () => {
      const charts = [...document.querySelectorAll('.chart')];
      const now = charts
        .map((c) => {
          const canvas = c.querySelector('canvas');
          if (canvas) return canvas.toDataURL();
          return c.querySelector('svg')?.outerHTML ?? '';
        })
        .join('|');
      const same = charts.every((c) => c.querySelector('canvas, svg')) && now === window.__chartsBefore;
      window.__chartsBefore = now;
      return same;
    },
    null,
    { polling: 300, timeout: 10_000 },
  );
}

/** The total of a list's pager: "共 N 人" or "共 N 个". */
async function pagerTotal(page, scope) {
  const text = await page.locator(`${scope} .pager`).first().innerText();
  const m = text.match(/共\s*(\d+)\s*[人个]/);
  assert.ok(m, `the pager should say 共 N, got ${JSON.stringify(text)}`);
  return Number(m[1]);
}

/** The table that follows an <h2> with this exact text. */
const tableAfter = (page, heading) =>
  page.locator(`xpath=//h2[normalize-space()="${heading}"]/following-sibling::div[1]//table`);

/** The <dd> that follows a <dt> with this exact text in the facts list. */
const fact = (page, term) => page.locator(`xpath=//dl[contains(@class,"facts")]/dt[normalize-space()="${term}"]/following-sibling::dd[1]`);

/** Opens an organization from /orgs through the name filter (htmx swaps the table). */
async function openOrg(page, name) {
  await page.goto(`${BASE_URL}/orgs`);
  await page.fill('#name', name);
  await page.locator('form.filters button[type="submit"]').click();
  const link = page.locator('#orgs-table').getByRole('link', { name, exact: true });
  // Wait for the filtered table, not the first page of the whole tree.
  await page.locator('#orgs-table .pager', { hasText: /共 1 个/ }).waitFor();
  await Promise.all([page.waitForURL((u) => /^\/orgs\/\d+$/.test(u.pathname)), link.click()]);
  assert.equal((await page.locator('h1').first().innerText()).trim(), name);
  return Number(path(page).split('/').pop());
}

/** Searches /people by #q (htmx swaps the table) and waits for the filtered table. */
async function searchPeople(page, q) {
  await page.goto(`${BASE_URL}/people`);
  const before = await pagerTotal(page, '#people-table');
  await page.fill('#q', q);
  await page.locator('form.filters button[type="submit"]').click();
  await page.waitForFunction(
    ({ before }) => {
      const m = document.querySelector('#people-table .pager')?.textContent.match(/共\s*(\d+)\s*人/);
      return m && Number(m[1]) < before;
    },
    { before },
  );
}

/** A roster file in the template's 18 columns. */
async function rosterXlsx(rows) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名册');
  ws.addRow([
    '姓名', '身份证号', '民族', '籍贯', '学历', '学位', '职称级别', '职称', '人员类别', '院系',
    '班级', '工号/学号', '联系电话', '政治面貌', '入党日期', '转正日期', '所在党支部', '所在党小组',
  ]);
  for (const r of rows) {
    ws.addRow([
      r.name, r.nationalId, '汉族', '北京市东城区', '硕士研究生', '硕士', '中级', '讲师', '教职工',
      '马克思主义学院', '', r.staffNo, r.phone, '正式党员', '2012-06-01', '2013-06-01', BRANCH, '',
    ]);
  }
  // Every cell as text: an 18-digit number must not become a float.
  ws.eachRow((row) => row.eachCell((c) => (c.numFmt = '@')));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- the story ----

// What the steps of the story pass on to the next.
const story = { memberName: '测试甲', imported: ['测试乙', '测试丙', '测试丁'] };

describe('the roster, as 组织部 (admin)', { timeout: 300_000 }, () => {
  let browser;
  let page;
  let branchId;

  before(async () => {
    browser = await launch();
    page = await newPage(browser);
  });

  after(async () => {
    await browser?.close();
  });

  test('1. admin signs in and lands on the home page', async () => {
    await signIn(page, 'admin');
    assert.match(await page.locator('h1').first().innerText(), /首页/);
    assert.match(await page.locator('header').first().innerText(), /组织部/);
  });

  test('2a. 组织机构 lists the university', async () => {
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/orgs'),
      page.locator('nav.side-menu a', { hasText: '组织机构' }).first().click(),
    ]);
    await page.locator('#orgs-table').getByRole('link', { name: UNIVERSITY, exact: true }).waitFor();
  });

  test('2b. 统计分析 shows 2207 members, 17 general branches, 74 branches and the charts', async () => {
    const resp = await page.goto(`${BASE_URL}/dashboard`);
    assert.equal(resp.status(), 200);
    const stats = await statCards(page);
    assert.equal(stats['党员'], DEMO_MEMBERS, `党员 card: ${JSON.stringify(stats)}`);
    assert.equal(stats['党总支'], 17, `党总支 card: ${JSON.stringify(stats)}`);
    assert.equal(stats['党支部'], 74, `党支部 card (60 + 14 direct): ${JSON.stringify(stats)}`);
    await page.locator('h2', { hasText: '书记队伍' }).waitFor();
    // ECharts draws into the container once its script has run.
    await chartsDrawn(page);
    await shot(page, 'roster-dashboard-before');
  });

  test('2c. the dashboard exports to Excel', async () => {
    const link = page.getByRole('link', { name: '导出 Excel' });
    const href = await link.getAttribute('href');
    assert.match(href, /^\/dashboard\.xlsx(\?|$)/);
    const resp = await page.request.get(new URL(href, page.url()).href);
    assert.equal(resp.status(), 200);
    assert.match(resp.headers()['content-type'] ?? '', /spreadsheetml|excel/);
    const body = await resp.body();
    assert.equal(body.subarray(0, 2).toString(), 'PK', 'an .xlsx is a zip file');
  });

  test('3. the branch page shows its committee and a 登记人员 link', async () => {
    branchId = await openOrg(page, BRANCH);
    const committee = tableAfter(page, '委员会');
    await committee.locator('tbody tr', { hasText: '书记' }).first().waitFor();
    const add = page.getByRole('link', { name: '登记人员' });
    assert.equal(await add.getAttribute('href'), `/people/new?org_id=${branchId}`);
    await shot(page, 'roster-branch');
  });

  test('4. a member is added by hand; a wrong check digit is refused first', async () => {
    const name = story.memberName;
    const id = newNationalId();
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/people/new'),
      page.getByRole('link', { name: '登记人员' }).click(),
    ]);
    assert.equal(await page.locator('#ethnicity').inputValue(), '汉族', '民族 defaults to 汉族');
    for (const f of ['join_date', 'confirmation_date']) {
      assert.equal(await page.locator(`#${f}`).getAttribute('type'), 'date', `#${f} is a date input`);
    }
    const fill = async (nationalId) => {
      await page.fill('#name', name);
      await page.fill('#national_id', nationalId);
      await page.selectOption('#ethnicity', '汉族');
      await page.fill('#native_place', '北京市东城区');
      await page.fill('#phone', newPhone());
      await page.selectOption('#education', 'master');
      await page.selectOption('#degree', { label: '硕士' });
      await page.selectOption('#title_level', { label: '中级' });
      await page.fill('#title', '讲师');
      await page.selectOption('#category', 'staff');
      await page.fill('#school', '马克思主义学院');
      await page.fill('#class_name', '');
      await page.fill('#staff_no', newStaffNo());
      await page.selectOption('#status', 'full');
      await page.fill('#join_date', '2012-06-01');
      await page.fill('#confirmation_date', '2013-06-01');
      // The first party group of the branch.
      await page.selectOption('#group_id', { index: 1 });
    };
    const submit = () =>
      Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/people'),
        page.getByRole('button', { name: '保存' }).click(),
      ]);

    await fill(withWrongCheck(id));
    await shot(page, 'roster-person-form');
    const [bad] = await submit();
    assert.ok(bad.status() >= 400 && bad.status() < 500, `a wrong check digit answers 4xx, got ${bad.status()}`);
    const field = page.locator('.field.has-error', { has: page.locator('#national_id') });
    await field.waitFor();
    assert.match(await field.locator('label').innerText(), /身份证号/);
    assert.match(await field.locator('.field-error').innerText(), /校验位/);
    const others = await page.locator('.field.has-error').count();
    assert.equal(others, 1, 'only the ID number is in error');
    assert.equal(await page.locator('#name').inputValue(), name, 'the form keeps what was typed');
    await shot(page, 'roster-person-form-error');

    await fill(id);
    const [good] = await submit();
    assert.ok(good.status() === 303 || good.status() === 302, `saving redirects, got ${good.status()}`);
    await page.waitForURL((u) => /^\/people\/\d+$/.test(u.pathname));
    story.memberId = Number(path(page).split('/').pop());
    assert.match(await page.locator('.flash.ok').innerText(), /人员已登记/);
    assert.match(await page.locator('h1').first().innerText(), new RegExp(name));
    const shown = await page.locator('#pii-id').innerText();
    assert.match(shown, /\*\*\*/, `the ID is masked, got ${shown}`);
    assert.ok(!shown.includes(id), 'the whole ID number is not on the page');
    assert.equal((await fact(page, '所在支部').innerText()).split('·')[0].trim(), BRANCH);
    await shot(page, 'roster-person-created');
  });

  test('5. the new member is found by full pinyin and by initials', async () => {
    for (const q of ['ceshijia', 'csj']) {
      await searchPeople(page, q);
      const link = page.locator('#people-table').getByRole('link', { name: story.memberName, exact: true });
      await link.waitFor();
      assert.equal(await link.getAttribute('href'), `/people/${story.memberId}`, `search ${q}`);
    }
    await shot(page, 'roster-people-search');
  });

  test('6a. the import page offers the template', async () => {
    await page.goto(`${BASE_URL}/imports`);
    const href = await page.getByRole('link', { name: '下载导入模板' }).getAttribute('href');
    assert.equal(href, '/imports/template.xlsx');
    const resp = await page.request.get(new URL(href, page.url()).href);
    assert.equal(resp.status(), 200);
    assert.match(resp.headers()['content-type'] ?? '', /spreadsheetml|excel/);
  });

  test('6b. a roster with one bad row is refused whole, with the row and column named', async () => {
    story.rows = story.imported.map((name) => ({
      name,
      nationalId: newNationalId(),
      staffNo: newStaffNo(),
      phone: newPhone(),
    }));
    const bad = story.rows.map((r, i) => (i === 1 ? { ...r, nationalId: withWrongCheck(r.nationalId) } : r));
    const orgChoice = await page.locator('#org_id option:checked').innerText();
    assert.match(orgChoice, new RegExp(UNIVERSITY), 'the import goes to the university by default');
    await page.setInputFiles('#file', { name: 'roster-bad.xlsx', mimeType: XLSX_TYPE, buffer: await rosterXlsx(bad) });
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/imports'),
      page.getByRole('button', { name: '上传并检查' }).click(),
    ]);
    const errors = page.locator('#import-errors');
    await errors.waitFor();
    const rows = await errors.locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 1, `one error only: ${JSON.stringify(rows)}`);
    assert.match(rows[0], /第 3 行/);
    assert.match(rows[0], /身份证号/);
    assert.match(rows[0], /校验位/);
    await page.getByText('整份名册都没有导入').waitFor();
    await shot(page, 'roster-import-errors');
  });

  test('6c. the corrected roster is previewed, applied, and found', async () => {
    await page.setInputFiles('#file', {
      name: 'roster.xlsx',
      mimeType: XLSX_TYPE,
      buffer: await rosterXlsx(story.rows),
    });
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/imports'),
      page.getByRole('button', { name: '上传并检查' }).click(),
    ]);
    const apply = page.getByRole('button', { name: '确认导入' });
    await apply.waitFor();
    assert.equal(await page.locator('#import-errors').count(), 0);
    assert.match(await page.locator('p', { hasText: '将新登记' }).innerText(), /将新登记\s*3\s*人/);
    await shot(page, 'roster-import-preview');
    await Promise.all([page.waitForURL((u) => /^\/imports\/\d+$/.test(u.pathname)), apply.click()]);
    // htmx polls every 500 ms while the batch is applying; wait for the last state.
    await page.locator('#import-progress', { hasText: '已导入' }).waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#import-progress').innerText(), /已导入 3 人/);
    await shot(page, 'roster-import-done');

    const resp = await page.goto(`${BASE_URL}/people?q=${encodeURIComponent(story.imported[0])}`);
    assert.equal(resp.status(), 200);
    const link = page.locator('#people-table').getByRole('link', { name: story.imported[0], exact: true });
    await link.waitFor();
    story.transferId = Number((await link.getAttribute('href')).split('/').pop());
    const row = page.locator('#people-table tbody tr', {
      has: page.getByRole('link', { name: story.imported[0], exact: true }),
    });
    assert.match(await row.innerText(), new RegExp(BRANCH));
  });

  test('7. a transfer to 图书馆党支部 is started and received', async () => {
    const id = story.transferId;
    await page.goto(`${BASE_URL}/people/${id}`);
    assert.equal(
      await page.locator(`#branch-names option[value="${OTHER_BRANCH}"]`).count(),
      1,
      `the datalist offers ${OTHER_BRANCH}`,
    );
    await page.fill('#to_org', OTHER_BRANCH);
    await page.fill('#reason', '工作调动');
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/people/${id}` && u.searchParams.get('notice') === 'transfer_started'),
      page.getByRole('button', { name: '发起转接' }).click(),
    ]);
    assert.match(await page.locator('.flash.ok').innerText(), /已发起组织关系转接/);
    const pending = tableAfter(page, '转接记录').locator('tbody tr', { hasText: '待接收' });
    await pending.waitFor();
    assert.match(await pending.innerText(), new RegExp(`${BRANCH}[\\s\\S]*${OTHER_BRANCH}[\\s\\S]*工作调动`));
    assert.equal(await page.locator('#to_org').count(), 0, 'no second transfer while one is pending');
    await shot(page, 'roster-transfer-pending');

    await Promise.all([
      page.waitForURL((u) => u.pathname === `/people/${id}` && u.searchParams.get('notice') === 'transfer_received'),
      pending.getByRole('button', { name: '接收' }).click(),
    ]);
    assert.match(await page.locator('.flash.ok').innerText(), /组织关系已接收/);
    assert.equal((await fact(page, '所在支部').innerText()).split('·')[0].trim(), OTHER_BRANCH);
    const history = await tableAfter(page, '历史').locator('tbody tr').allInnerTexts();
    assert.equal(history.length, 2, `two periods in 历史: ${JSON.stringify(history)}`);
    assert.ok(history.some((h) => h.includes(BRANCH)), 'history keeps the first branch');
    assert.ok(history.some((h) => h.includes(OTHER_BRANCH) && h.includes('至今')), 'and the new one, to date');
    await shot(page, 'roster-transfer-received');
  });

  test('8. the dashboard counts the four new members', async () => {
    await page.goto(`${BASE_URL}/dashboard`);
    const stats = await statCards(page);
    assert.equal(stats['党员'], DEMO_MEMBERS + 4, `党员 card: ${JSON.stringify(stats)}`);
    await chartsDrawn(page);
    await shot(page, 'roster-dashboard-after');
  });

  test('9. the roster and a person fit a phone', async () => {
    await page.setViewportSize(PHONE);
    try {
      await page.goto(`${BASE_URL}/people`);
      await page.locator('#people-table tbody tr').first().waitFor();
      await shot(page, 'roster-people-phone');
      await page.goto(`${BASE_URL}/people/${story.transferId}`);
      await page.locator('#pii-id').waitFor();
      await shot(page, 'roster-person-phone');
      // Nothing wider than the screen: the page itself does not scroll sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the person page scrolls sideways by ${overflow}px on a phone`);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  });
});

describe('the roster, as a branch secretary (branchsec)', { timeout: 120_000 }, () => {
  let browser;
  let admin;
  let page;
  let adminTotal;
  let outsiderId;

  before(async () => {
    browser = await launch();
    admin = await newPage(browser);
    page = await newPage(browser);
  });

  after(async () => {
    await browser?.close();
  });

  test('admin notes the whole roster and a person of another branch', async () => {
    await signIn(admin, 'admin');
    await admin.goto(`${BASE_URL}/people`);
    adminTotal = await pagerTotal(admin, '#people-table');
    assert.ok(adminTotal >= DEMO_MEMBERS, `admin sees the whole roster, got 共 ${adminTotal} 人`);
    const orgId = await openOrg(admin, OTHER_BRANCH);
    await admin.goto(`${BASE_URL}/people?under=${orgId}`);
    const first = admin.locator('#people-table tbody tr a[href^="/people/"]').first();
    outsiderId = Number((await first.getAttribute('href')).split('/').pop());
    assert.ok(outsiderId > 0);
  });

  test('branchsec sees only their branch', async () => {
    await signIn(page, 'branchsec');
    await page.goto(`${BASE_URL}/people`);
    const total = await pagerTotal(page, '#people-table');
    assert.ok(total > 0, 'the branch has people');
    assert.ok(total * 10 < adminTotal, `branchsec sees 共 ${total} 人, admin ${adminTotal}`);
    const branches = await page.locator('#people-table tbody tr td:last-child').allInnerTexts();
    assert.ok(branches.length > 0);
    for (const b of branches) {
      assert.equal(b.trim(), BRANCH);
    }
    await shot(page, 'roster-branchsec-people');
  });

  test("branchsec opens their own member but not another branch's (404)", async () => {
    const own = page.locator('#people-table tbody tr a[href^="/people/"]').first();
    const ownId = (await own.getAttribute('href')).split('/').pop();
    let resp = await page.goto(`${BASE_URL}/people/${ownId}`);
    assert.equal(resp.status(), 200);
    resp = await page.goto(`${BASE_URL}/people/${outsiderId}`);
    assert.equal(resp.status(), 404, `another branch's person answers ${resp.status()}`);
    assert.ok(!(await page.content()).includes('身份证号'), 'no person facts on the 404 page');
    await shot(page, 'roster-branchsec-404');
  });
});
