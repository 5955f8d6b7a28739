// The whole road in the browser: a branch secretary takes a demo applicant through all 25
// steps of the 细则 (and the publicity), with the general branch secretary recording the
// higher committee's steps, while the server's clock moves forward through the months the
// rules ask for. Runs against the second demo server of ./run, whose clock reads CLOCK_FILE.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { CLOCK_FILE, CLOCK_URL, launch, newPage, path, shot, signIn } from './lib.mjs';

/** Days and months on plain YYYY-MM-DD dates. */
const day = (s) => new Date(`${s}T00:00:00Z`);
const fmt = (d) => d.toISOString().slice(0, 10);
const addDays = (s, n) => fmt(new Date(day(s).getTime() + n * 86_400_000));
const addMonths = (s, n) => {
  const d = day(s);
  d.setUTCMonth(d.getUTCMonth() + n);
  return fmt(d);
};

/** A 1×1 PNG: a scan, as far as the server can tell. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Moves the server's clock to 10:00 Shanghai time of `date`. */
const setDay = (date) => writeFileSync(CLOCK_FILE, `${date}T10:00:00+08:00\n`);

describe('a branch secretary takes a demo applicant through all 25 steps', {
  timeout: 300_000,
  skip: !(CLOCK_URL && CLOCK_FILE) && 'needs the movable-clock server of ./run (CLOCK_URL, CLOCK_FILE)',
}, () => {
  let browser;
  const pages = {};
  let personId;
  let applied;

  /** Opens the person's record as `user`, signing in again when time has moved past the session. */
  async function open(user, query = '') {
    const page = pages[user];
    const url = `${CLOCK_URL}/people/${personId}/development${query}`;
    await page.goto(url);
    if (path(page) === '/login') {
      await signIn(page, user, CLOCK_URL);
      await page.goto(url);
    }
    return page;
  }

  /** Records `step` as `user` on the clock's day; `fill` completes the step's own fields. */
  async function record(user, step, fill = async () => {}, query = '') {
    const page = await open(user, query);
    const form = page.locator(`#form-${step}`);
    assert.equal(await form.count(), 1, `${user} sees the form of ${step}`);
    await fill(form);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'step_recorded'),
      form.locator('button[type="submit"]').click(),
    ]).catch(async (e) => {
      const alert = await page.locator('[role="alert"]').allInnerTexts();
      throw new Error(`${step} was not recorded: ${alert.join(' / ') || e.message}`);
    });
    return page;
  }

  const pickTwo = async (form) => {
    const boxes = form.locator('input[name="member_id"]');
    assert.ok((await boxes.count()) >= 2, 'the branch has two full members to name');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
  };

  /**
   * Holds the branch's 支部党员大会 at 09:00 of the clock's day `date`, everyone signed in
   * but the last of the roll, excused; then picks it for the vote of `step` on the record.
   */
  async function voteMeeting(date, step) {
    const page = await open('branchsec');
    await page.goto(`${CLOCK_URL}/people/${personId}`);
    const branch = await page.locator('.breadcrumb a[href^="/orgs/"]').last().getAttribute('href');
    await page.goto(`${CLOCK_URL}${branch}/meetings`);
    const plan = page.locator('#plan-form');
    await plan.locator('#kind').selectOption('general_meeting');
    await plan.locator('#topic').fill('支部党员大会：讨论发展党员');
    await plan.locator('#starts_at').fill(`${date}T09:00`);
    await plan.locator('#place').fill('党员活动室');
    await plan.locator('#first_agenda_item').fill('学习习近平总书记重要讲话精神');
    await plan.locator('#agenda').fill('讨论发展党员');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'meeting_planned'),
      plan.locator('button[type="submit"]').click(),
    ]);
    const hold = page.locator('#hold-form');
    const roll = hold.locator('#roll select');
    await roll.nth((await roll.count()) - 1).selectOption('excused');
    await hold.locator('#minutes').fill('会议讨论了发展党员事项，进行了表决。');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'meeting_held'),
      hold.locator('button[type="submit"]').click(),
    ]);
    const meetingId = new URL(page.url()).pathname.split('/').pop();
    await open('branchsec');
    const pick = page.locator(`#pick-${step}`);
    assert.equal(await pick.count(), 1, `the vote of ${step} first asks for its meeting`);
    await pick.locator('select[name="vote_meeting"]').selectOption(meetingId);
    await Promise.all([page.waitForURL(/vote_meeting=/), pick.locator('button[type="submit"]').click()]);
    assert.equal(await page.locator(`#form-${step} input[name="on"]`).inputValue(), date, 'the vote is dated by its meeting');
    await shot(page, `vote-${step}`);
    return new URL(page.url()).search;
  }

  /** The roll as the sign-in proposes it; whoever was away sent a written opinion; all say yes. */
  const vote = (outcome) => async (form) => {
    const roll = form.locator('select[name^="roll_"]');
    const voters = await roll.count();
    assert.ok(voters >= 2, 'the branch has full members to vote');
    for (let i = 0; i < voters; i += 1) {
      if ((await roll.nth(i).inputValue()) === 'absent') await roll.nth(i).selectOption('written');
    }
    await form.locator('input[name="yes"]').fill(String(voters));
    await form.locator('input[name="no"]').fill('0');
    await form.locator('input[name="abstain"]').fill('0');
    if (outcome) await form.locator('select[name="outcome"]').selectOption(outcome);
  };

  before(async () => {
    browser = await launch();
    pages.branchsec = await newPage(browser);
    pages.gbsec = await newPage(browser);
    // The 基层党委's acts (预审, 审批) are the organization department's: a 党总支 has no
    // approval power.
    pages.admin = await newPage(browser);
    await signIn(pages.branchsec, 'branchsec', CLOCK_URL);
    await signIn(pages.gbsec, 'gbsec', CLOCK_URL);
    await signIn(pages.admin, 'admin', CLOCK_URL);
  });

  after(async () => {
    await browser?.close();
    if (CLOCK_FILE) writeFileSync(CLOCK_FILE, '');
  });

  test("the secretary finds an applicant of the branch whose talk is due, not yet late", async () => {
    const page = pages.branchsec;
    await page.goto(`${CLOCK_URL}/people?status=applicant&per_page=100`);
    const hrefs = await page
      .locator('#people-table tbody tr a[href^="/people/"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of hrefs) {
      await page.goto(`${CLOCK_URL}${href}/development`);
      const due = page.locator('#due');
      if ((await page.locator('#form-talk').count()) > 0 && /^待办/.test(await due.innerText())) {
        personId = Number(href.split('/').pop());
        break;
      }
    }
    assert.ok(personId, 'an applicant of the branch waits for the talk');
    const first = await page.locator('#steps tbody tr').first().locator('td').nth(1).innerText();
    applied = first.trim();
    assert.match(applied, /^\d{4}-\d{2}-\d{2}$/);
  });

  test('applicant: the talk within a month of the application; the application scanned in', async () => {
    let page = await record('branchsec', 'talk');
    // The application's row lacks its document until a scan is uploaded.
    const first = page.locator('#steps tbody tr').first();
    assert.match(await first.innerText(), /缺：入党申请书/);
    await first.locator('summary').click();
    await first.locator('input[type="file"]').setInputFiles({ name: '入党申请书.png', mimeType: 'image/png', buffer: PNG });
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('notice') === 'uploaded'),
      first.locator('button[type="submit"]').click(),
    ]);
    page = pages.branchsec;
    const row = await page.locator('#steps tbody tr').first().innerText();
    assert.match(row, /入党申请书/);
    assert.doesNotMatch(row, /缺：/);
  });

  test('activist: chosen six months after the application, filed, given mentors', async () => {
    const chosen = addMonths(applied, 6);
    // The secretary first tries a day too early and is told the rule and its source.
    setDay(addDays(chosen, -10));
    const page = await open('branchsec');
    const form = page.locator('#form-activist_chosen');
    await form.locator('input[name="by_league"]').check();
    await form.locator('button[type="submit"]').click();
    assert.match(
      await page.locator('#form-activist_chosen [role="alert"]').innerText(),
      /满 6 个月后方可确定为入党积极分子.*细则第八条/,
    );

    setDay(addDays(chosen, 3));
    await record('branchsec', 'activist_chosen', (f) => f.locator('input[name="by_league"]').check());
    await record('gbsec', 'activist_filed');
    await record('branchsec', 'mentors_assigned', pickTwo);
  });

  test('activist: assessed every half year, a candidate after a year', async () => {
    const chosen = addDays(addMonths(applied, 6), 3);
    setDay(addMonths(chosen, 5));
    await record('branchsec', 'assessment');
    setDay(addMonths(chosen, 10));
    await record('branchsec', 'assessment');
    setDay(addDays(addMonths(chosen, 12), 3));
    // 座谈考察: the opinions of the group, the mentors, members and non-members heard first.
    await record('branchsec', 'candidate_chosen', async (f) => {
      for (const who of ['group', 'mentors', 'members', 'non_members']) {
        await f.locator(`input[name="heard_${who}"]`).check();
      }
    });
  });

  test('candidate: filed, sponsors, review, training, committee review and pre-review', async () => {
    await record('gbsec', 'candidate_filed');
    await record('branchsec', 'sponsors_chosen', pickTwo);
    await record('branchsec', 'background_review', (f) => f.locator('select[name="passed"]').selectOption('yes'));
    // The general branch's party school trains the candidate; the step takes its record.
    const school = pages.gbsec;
    await school.goto(`${CLOCK_URL}/training`);
    if (path(school) === '/login') {
      await signIn(school, 'gbsec', CLOCK_URL);
      await school.goto(`${CLOCK_URL}/training`);
    }
    const candidateDay = addDays(addMonths(addDays(addMonths(applied, 6), 3), 12), 3);
    const plan = school.locator('#class-form');
    await plan.locator('#name').fill('发展对象培训班（走查）');
    await plan.locator('#audience').selectOption('candidate');
    await plan.locator('#starts_on').fill(addDays(candidateDay, -3));
    await plan.locator('#ends_on').fill(addDays(candidateDay, -1));
    await plan.locator('#hours').fill('24');
    await Promise.all([
      school.waitForURL((u) => u.searchParams.get('notice') === 'class_created'),
      plan.locator('button[type="submit"]').click(),
    ]);
    await school.locator(`#enrol-form input[value="${personId}"]`).check();
    await Promise.all([
      school.waitForURL((u) => u.searchParams.get('notice') === 'enrolled'),
      school.locator('#enrol-form button[type="submit"]').click(),
    ]);
    const trainee = school.locator(`#trainee-${personId}`);
    await trainee.locator('input[name="hours"]').fill('24');
    await trainee.locator('select[name="exam"]').selectOption('passed');
    await Promise.all([
      school.waitForURL((u) => u.searchParams.get('notice') === 'result_saved'),
      trainee.locator('button[type="submit"]').click(),
    ]);
    assert.match(await school.locator(`#trainee-${personId}`).innerText(), /合格/);
    await shot(school, 'training-class');
    const page = await record('branchsec', 'training');
    assert.match(await page.locator('#steps tbody tr').last().innerText(), /3 天，24 学时/);
    await record('branchsec', 'committee_review');
    await record('admin', 'pre_review', (f) => f.locator('select[name="passed"]').selectOption('yes'));
  });

  test('candidate: publicity, the form, the vote; the higher committee approves', async () => {
    const preReview = addDays(addMonths(addDays(addMonths(applied, 6), 3), 12), 3);
    const vote_on = addDays(preReview, 16);
    setDay(vote_on);
    await record('branchsec', 'publicity', async (f) => {
      await f.locator('input[name="on"]').fill(preReview);
      await f.locator('input[name="until"]').fill(addDays(preReview, 14));
    });
    await record('branchsec', 'form');
    await record('branchsec', 'admission_vote', vote(), await voteMeeting(vote_on, 'admission_vote'));
    await record('gbsec', 'higher_talk');
    await record('admin', 'admission_approval');
    await record('gbsec', 'admission_filed');
    const page = await record('branchsec', 'placement');
    assert.match(await page.locator('h1').innerText(), /预备党员/);
    await record('branchsec', 'oath');
    await record('branchsec', 'continued_assessment');
  });

  test('probationary: assessed, asks for confirmation, confirmed a year after the vote', async () => {
    const vote_on = addDays(addDays(addMonths(addDays(addMonths(applied, 6), 3), 12), 3), 16);
    setDay(addMonths(vote_on, 5));
    await record('branchsec', 'continued_assessment');
    setDay(addMonths(vote_on, 10));
    await record('branchsec', 'continued_assessment');
    setDay(addDays(addMonths(vote_on, 11), 15));
    await record('branchsec', 'confirmation_request');

    // Before the year is over the vote is refused, naming 第三十二条.
    let page = await open('branchsec', await voteMeeting(addDays(addMonths(vote_on, 11), 15), 'confirmation_vote'));
    await vote('confirm')(page.locator('#form-confirmation_vote'));
    await page.locator('#form-confirmation_vote button[type="submit"]').click();
    assert.match(
      await page.locator('#form-confirmation_vote [role="alert"]').innerText(),
      /届满后方可讨论转正.*细则第三十二条/,
    );

    const confirm_on = addDays(addMonths(vote_on, 12), 1);
    setDay(confirm_on);
    await record('branchsec', 'confirmation_vote', vote('confirm'), await voteMeeting(confirm_on, 'confirmation_vote'));
    await record('admin', 'confirmation_approval');
    page = await record('branchsec', 'archive');
    assert.match(await page.locator('h1').innerText(), /正式党员/);
    const rows = await page.locator('#steps tbody tr').allInnerTexts();
    // 25 steps, the publicity, and the repeated assessments (two, then three).
    assert.equal(rows.length, 26 + 1 + 2, rows.join('\n'));
    assert.match(rows.at(-1), /25\. 材料归档/);
    assert.equal(await page.locator('#steps tr.warn').count(), 0, 'no step was late');
    await shot(page, 'development-walk');
  });
});
