// SPDX-License-Identifier: MIT
// The Console's Courses pages in Debian's Chromium (src/console/page-courses.js); each test
// starts its own lectern (startConsoleServer's, with five learners; the paging tests add 22
// courses, draft, published and archived, and a course with 23 enrollments):
// - the list: status filter and paging show the API's courses; the filter and page are in the
//   URL (reload keeps them);
// - New course: a taken code is refused beside the code field; then the course is created
//   (checked through the API);
// - a course: edit title, code and status (an empty title refused beside the field) — checked
//   through the API;
// - enroll a user picked by searching; enrolling them again is refused in words beside the
//   picked user; change an enrollment's status and progress (101 refused beside the field) —
//   checked through the API;
// - the enrollments of a course are paged like the API's;
// - at 390 px nothing sticks out of the page.
// Every test also checks that the page logged no error.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleLogin } from './lib/browser.mjs';
import { eventually, overflow, shot, testServer, useBrowser } from './lib/console.mjs';
import { createUser, listAll, ok } from './lib/api.mjs';

const STATUSES = ['DRAFT', 'PUBLISHED', 'ARCHIVED'];

const openPage = useBrowser();

// A lectern seeded for the Console (with `many`: 22 more courses and "Busy Course" with 23
// enrollments), stopped when the test ends, and a page signed in as the admin on `next`.
async function setup(t, { many = false, next = '/console/courses', width, height } = {}) {
  const srv = await testServer(t, { learners: 5 });
  const api = (q, v) => ok(srv, q, v, { session: srv.admin.session });
  const createCourse = async (title, code, status = 'DRAFT') =>
    (await api('mutation($i: CreateCourseInput!) { createCourse(input: $i) { id title } }', { i: { title, code, status } })).createCourse;
  let busy = null;
  if (many) {
    for (let i = 0; i < 22; i++) await createCourse(`Course ${String(i).padStart(2, '0')}`, `C-${i}`, STATUSES[i % 3]);
    busy = await createCourse('Busy Course', 'BUSY', 'PUBLISHED');
    for (let i = 0; i < 23; i++) {
      const u = await createUser(srv, srv.admin.session, { email: `enr-${i}@acme.test`, name: `Enrolled ${String(i).padStart(2, '0')}` });
      await api('mutation($i: EnrollUserInput!) { enrollUser(input: $i) { id } }', {
        i: { userId: u.id, courseId: busy.id, progress: i * 4, status: i % 2 ? 'IN_PROGRESS' : 'ENROLLED' },
      });
    }
  }
  const page = await openPage(t, { width, height });
  await consoleLogin(page, srv.url, { ...srv.admin, next });
  const w = {
    srv,
    page,
    api,
    busy,
    createCourse,
    titles: () => page.locator('.courses-table tbody td[data-label="Title"]').allTextContents(),
    learnerNames: () => page.locator('.enrollments-table tbody td[data-label="Learner"] a').allTextContents(),
    pagerText: (scope = page) => scope.locator('.pager-text').textContent(),
    async openCourse(id) {
      await page.goto(`${srv.url}/console/courses/${id}`);
      await page.locator('.course-detail .page-head h1').waitFor();
    },
    async expectTitles(expected) {
      await eventually(async () => {
        assert.equal(await page.locator('.list-results[aria-busy]').count(), 0);
        assert.deepEqual(await w.titles(), expected);
      });
    },
  };
  return w;
}

describe('Console: courses and enrollments', () => {
  test('the list: status filter and paging show the API courses; reload keeps them', async (t) => {
    const { srv, page, expectTitles, pagerText } = await setup(t, { many: true, next: '/console/users' });
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Courses' }).click();
    await page.locator('h1', { hasText: 'Courses' }).waitFor();
    const all = (await listAll(srv, { session: srv.admin.session }, 'courses', '', 'title')).map((c) => c.title);
    assert.equal(all.length, 23);
    await expectTitles(all.slice(0, 20));
    assert.equal(await pagerText(), '1–20 of 23');
    await page.getByRole('button', { name: 'Next page' }).click();
    await expectTitles(all.slice(20));
    assert.equal(await pagerText(), '21–23 of 23');
    const busyRow = page.locator('.courses-table tbody tr', { has: page.getByRole('link', { name: 'Busy Course' }) });
    assert.equal(await busyRow.locator('td[data-label="Enrolled"]').textContent(), '23');
    await page.reload();
    await expectTitles(all.slice(20));
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expectTitles(all.slice(0, 20));

    await page.locator('form[role="search"]').getByLabel('Status').selectOption('PUBLISHED');
    const published = (await listAll(srv, { session: srv.admin.session }, 'courses', 'status: PUBLISHED', 'title')).map((c) => c.title);
    await expectTitles(published);
    assert.ok(published.length > 1 && published.length < 23);
    assert.equal(new URL(page.url()).searchParams.get('status'), 'PUBLISHED');
    const statuses = await page.locator('.courses-table tbody td[data-label="Status"]').allTextContents();
    assert.ok(statuses.every((s) => s === 'Published'), statuses.join());
    await page.reload();
    await expectTitles(published);
    await page.goBack();
    await expectTitles(all.slice(0, 20));
    await shot(page, 'console-courses');
    assert.deepEqual(page.lecternErrors, []);
  });

  test('New course: a taken code is refused beside the code field; then the course is created', async (t) => {
    const { page, api, createCourse } = await setup(t);
    await createCourse('Busy Course', 'BUSY');
    await page.getByRole('button', { name: 'New course' }).click();
    const dialog = page.getByRole('dialog', { name: 'New course' });
    await dialog.getByLabel('Title').fill('Fire Safety');
    await dialog.getByLabel('Code').fill('BUSY');
    await dialog.getByLabel('Status').selectOption('PUBLISHED');
    await dialog.getByRole('button', { name: 'Create course' }).click();
    const codeField = dialog.locator('.field', { has: page.locator('input[name="code"]') });
    await eventually(async () => assert.equal(await codeField.locator('.field-error').textContent(), 'A course with this code already exists.'));
    assert.equal(await dialog.locator('input[name="code"]').getAttribute('aria-invalid'), 'true');

    await dialog.getByLabel('Code').fill('FIRE-1');
    await dialog.getByRole('button', { name: 'Create course' }).click();
    await page.locator('.course-detail h1', { hasText: 'Fire Safety' }).waitFor();
    const d = await api('{ courses(first: 100) { nodes { id title code status } } }');
    const c = d.courses.nodes.find((x) => x.code === 'FIRE-1');
    assert.deepEqual([c.title, c.status], ['Fire Safety', 'PUBLISHED']);
    assert.equal(d.courses.nodes.filter((x) => x.title === 'Fire Safety').length, 1, 'the refused attempt created nothing');
    assert.equal(new URL(page.url()).pathname, `/console/courses/${c.id}`);
    assert.deepEqual(page.lecternErrors, []);
  });

  test('a course: edit title, code and status (checked through the API)', async (t) => {
    const { page, api, createCourse, openCourse } = await setup(t);
    const c = await createCourse('Draft Thing', 'DRAFT-1');
    await openCourse(c.id);
    const form = page.locator('#course-form');
    await form.getByLabel('Title').fill('');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await eventually(async () => assert.equal(
      await form.locator('.field', { has: page.locator('input[name="title"]') }).locator('.field-error').textContent(),
      'input.title must be 1 to 200 characters long; it has 0.'));

    await form.getByLabel('Title').fill('Finished Thing');
    await form.getByLabel('Code').fill('DONE-1');
    await form.getByLabel('Status').selectOption('ARCHIVED');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('.course-detail h1', { hasText: 'Finished Thing' }).waitFor();
    const d = await api('query($id: ID!) { course(id: $id) { title code status } }', { id: c.id });
    assert.deepEqual(d.course, { title: 'Finished Thing', code: 'DONE-1', status: 'ARCHIVED' });
    assert.match(await page.locator('.course-detail .page-intro').textContent(), /DONE-1\s*Archived/);
    assert.deepEqual(page.lecternErrors, []);
  });

  test('enroll a user picked by searching; again is refused beside the user (checked through the API)', async (t) => {
    const { srv, page, api, createCourse, openCourse, learnerNames } = await setup(t);
    const c = await createCourse('Enroll Here', 'ENR-1', 'PUBLISHED');
    await openCourse(c.id);
    await page.locator('.enrollments-card .empty-state').waitFor();
    const learner = srv.learners[1]; // Grace Student

    for (let round = 0; round < 2; round++) {
      await page.getByRole('button', { name: 'Enroll a user' }).click();
      const dialog = page.getByRole('dialog', { name: 'Enroll a user in Enroll Here' });
      await dialog.getByRole('button', { name: 'Enroll' }).click();
      await eventually(async () => assert.match(await dialog.getByRole('alert').textContent(), /Choose the user to enroll/));
      await dialog.getByLabel('Learner', { exact: true }).fill('grace');
      await dialog.getByRole('radio', { name: /Grace Student/ }).check();
      await dialog.getByLabel('Progress (%)').fill('10');
      await dialog.getByLabel('Status').selectOption('IN_PROGRESS');
      await dialog.getByLabel('Start date').fill('2026-11-02');
      await dialog.getByRole('button', { name: 'Enroll' }).click();
      if (round === 0) {
        await dialog.waitFor({ state: 'detached' });
        await eventually(async () => assert.deepEqual(await learnerNames(), ['Grace Student']));
      } else {
        const picker = dialog.locator('.user-picker');
        await eventually(async () => assert.equal(await picker.locator('.field-error').textContent(), 'The user is already enrolled in this course.'));
        await dialog.getByRole('button', { name: 'Cancel' }).click();
      }
    }
    const d = await api('query($id: ID!) { course(id: $id) { enrollments { totalCount nodes { user { id } status progress startDate } } } }', { id: c.id });
    assert.deepEqual(d.course.enrollments, {
      totalCount: 1,
      nodes: [{ user: { id: learner.id }, status: 'IN_PROGRESS', progress: 10, startDate: '2026-11-02' }],
    });
    assert.deepEqual(page.lecternErrors, []);
  });

  test('change an enrollment: status and progress (101 refused beside the field; checked through the API)', async (t) => {
    const { srv, page, api, createCourse, openCourse } = await setup(t);
    const c = await createCourse('Progress Course', 'PRG-1', 'PUBLISHED');
    const learner = srv.learners[2]; // Alan Trainee
    const e = await api('mutation($i: EnrollUserInput!) { enrollUser(input: $i) { id } }', { i: { userId: learner.id, courseId: c.id } });
    await openCourse(c.id);
    await page.getByRole('button', { name: 'Change the enrollment of Alan Trainee' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change Alan Trainee' });
    await dialog.getByLabel('Progress (%)').fill('101');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => assert.equal(
      await dialog.locator('.field', { has: page.locator('input[name="progress"]') }).locator('.field-error').textContent(),
      'input.progress must be from 0 to 100.'));
    await dialog.getByLabel('Progress (%)').fill('75');
    await dialog.getByLabel('Status').selectOption('COMPLETED');
    await dialog.getByLabel('End date').fill('2026-11-20');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.locator('.enrollments-table tbody tr');
    await eventually(async () => {
      assert.equal(await row.locator('td[data-label="Progress"]').textContent(), '75%');
      assert.equal(await row.locator('td[data-label="Status"]').textContent(), 'Completed');
    });
    const d = await api('query($id: ID!) { enrollment(id: $id) { status progress endDate } }', { id: e.enrollUser.id });
    assert.deepEqual(d.enrollment, { status: 'COMPLETED', progress: 75, endDate: '2026-11-20' });
    await shot(page, 'console-course-detail');
    assert.deepEqual(page.lecternErrors, []);
  });

  test('the enrollments of a course are paged like the API', async (t) => {
    const { srv, page, busy, openCourse, learnerNames, pagerText } = await setup(t, { many: true });
    await openCourse(busy.id);
    const all = (await listAll(srv, { session: srv.admin.session }, 'enrollments', `filter: {courseId: "${busy.id}"}`, 'user { name }')).map((e) => e.user.name);
    assert.equal(all.length, 23);
    await eventually(async () => assert.deepEqual(await learnerNames(), all.slice(0, 20)));
    const card = page.locator('.enrollments-card');
    assert.equal(await pagerText(card), '1–20 of 23');
    await card.getByRole('button', { name: 'Next page' }).click();
    await eventually(async () => assert.deepEqual(await learnerNames(), all.slice(20)));
    assert.equal(await pagerText(card), '21–23 of 23');
    await page.reload();
    await eventually(async () => assert.deepEqual(await learnerNames(), all.slice(20)));
    await page.goBack();
    await eventually(async () => assert.deepEqual(await learnerNames(), all.slice(0, 20)));
    assert.deepEqual(page.lecternErrors, []);
  });

  test('at 390 px the list, a course and the enroll dialog stay inside the screen', async (t) => {
    const { srv, page: p, busy } = await setup(t, { many: true, width: 390, height: 844 });
    await p.locator('.courses-table').waitFor();
    assert.deepEqual(await overflow(p), []);
    await p.goto(`${srv.url}/console/courses/${busy.id}`);
    await p.locator('.enrollments-table').waitFor();
    assert.deepEqual(await overflow(p), []);
    await p.getByRole('button', { name: 'Enroll a user' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('Learner', { exact: true }).fill('enrolled');
    await dialog.getByRole('radio').first().waitFor();
    assert.deepEqual(await overflow(p), []);
    assert.deepEqual(p.lecternErrors, []);
  });
});
