// SPDX-License-Identifier: MIT
// Courses and enrollments: the list (/console/courses, filtered by status, paged, with New
// course) and a course (/console/courses/:id: edit title, code and status; its enrollments,
// paged, with Enroll a user and a change of status, progress and dates). Filter and page live
// in the URL query like the users list.
import { gql } from './api.js';
import {
  h, badge, cell, changedFields, dataTable, field, formDialog, formatDate, loading, newId,
  onFormSubmit, showFormError, submitBusy, timeText, toast, withBusy,
} from './ui.js';
import {
  BASE, PAGE_SIZE, pagedList, readListState, userHref, userPicker,
} from './list.js';

const COURSE_STATUS = [
  { value: 'DRAFT', label: 'Draft', kind: 'muted' },
  { value: 'PUBLISHED', label: 'Published', kind: 'ok' },
  { value: 'ARCHIVED', label: 'Archived', kind: 'warn' },
];
const ENROLLMENT_STATUS = [
  { value: 'ENROLLED', label: 'Enrolled', kind: 'info' },
  { value: 'IN_PROGRESS', label: 'In progress', kind: 'info' },
  { value: 'COMPLETED', label: 'Completed', kind: 'ok' },
  { value: 'WITHDRAWN', label: 'Withdrawn', kind: 'warn' },
];

function statusBadge(list, value) {
  const s = list.find((x) => x.value === value);
  return badge(s ? s.label : value, s ? s.kind : 'muted');
}

const courseHref = (id) => `${BASE}/courses/${encodeURIComponent(id)}`;

// ---- The list -------------------------------------------------------------------------------

function courseDialog(ctx) {
  const formId = newId('new-course');
  const form = h('form', { id: formId, novalidate: true },
    field({ label: 'Title', name: 'title', required: true, autocomplete: 'off' }),
    field({ label: 'Code', name: 'code', required: true, autocomplete: 'off', hint: 'A short code, unique in your organisation (1 to 64 characters), e.g. SAFE-101.' }),
    field({ label: 'Status', name: 'status', value: 'DRAFT', options: COURSE_STATUS }));
  formDialog({
    title: 'New course',
    form,
    submitLabel: 'Create course',
    onSubmit: async (fd, dlg) => {
      const input = { title: String(fd.get('title')).trim(), code: String(fd.get('code')).trim(), status: String(fd.get('status')) };
      await submitBusy(dlg.dialog.querySelector('button[type="submit"]'), form, async () => {
        const d = await gql('mutation($i: CreateCourseInput!) { createCourse(input: $i) { id title } }', { i: input });
        dlg.close('created');
        toast(`Course ${d.createCourse.title} created.`);
        ctx.navigate(`/courses/${encodeURIComponent(d.createCourse.id)}`);
      });
    },
  });
}

async function renderList(main, ctx) {
  const withCount = ctx.can('read:enrollments');
  const state = readListState(['status']);
  const results = h('div', { class: 'list-results', tabindex: '-1', 'aria-live': 'polite' });
  const newBtn = ctx.can('create:courses')
    ? h('button', { type: 'button', class: 'btn btn-primary', id: 'new-course' }, 'New course') : null;
  newBtn?.addEventListener('click', () => courseDialog(ctx));
  const statusSel = field({
    label: 'Status', name: 'status', value: state.values.status,
    options: [{ value: '', label: 'Any status' }, ...COURSE_STATUS],
  });
  const form = h('form', { class: 'toolbar filters', role: 'search', 'aria-label': 'Filter courses' }, statusSel);
  main.append(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Courses'), h('p', { class: 'page-intro' }, 'Courses and who is enrolled in them.')),
      h('div', { class: 'page-actions' }, newBtn)),
    form, results);

  const list = pagedList({
    results,
    path: '/courses',
    noun: ['course', 'courses'],
    fetch: async (st) => (await gql(`query($first: Int, $after: String, $status: CourseStatus) {
        courses(first: $first, after: $after, status: $status) {
          totalCount pageInfo { hasNextPage endCursor }
          nodes { id title code status createdAt updatedAt ${withCount ? 'enrollments(first: 0) { totalCount }' : ''} } } }`, {
      first: PAGE_SIZE, after: st.afters.at(-1) ?? null, status: st.values.status || null,
    })).courses,
    empty: (st) => (st.values.status ? 'No course has this status.' : 'There are no courses yet.'),
    table: (conn) => dataTable({
      caption: 'Courses',
      columns: ['Title', 'Code', 'Status', withCount && 'Enrolled', 'Created', 'Changed'].filter(Boolean),
      className: 'courses-table',
      rows: conn.nodes.map((c) => h('tr', null,
        cell('Title', h('a', { href: courseHref(c.id) }, c.title)),
        cell('Code', h('code', null, c.code)),
        cell('Status', statusBadge(COURSE_STATUS, c.status)),
        withCount ? h('td', { 'data-label': 'Enrolled', class: 'num' }, String(c.enrollments.totalCount)) : null,
        cell('Created', timeText(c.createdAt)),
        cell('Changed', timeText(c.updatedAt)))),
    }),
  });
  form.addEventListener('submit', (e) => e.preventDefault());
  statusSel.control.addEventListener('change', () => list.go({ values: { status: statusSel.control.value }, afters: [] }));
  await list.show(state);
}

// ---- A course -------------------------------------------------------------------------------

function courseCard(ctx, c, reload) {
  const facts = h('dl', { class: 'facts' },
    h('dt', null, 'ID'), h('dd', null, h('code', null, c.id)),
    h('dt', null, 'Code'), h('dd', null, h('code', null, c.code)),
    h('dt', null, 'Status'), h('dd', null, statusBadge(COURSE_STATUS, c.status)),
    h('dt', null, 'Created'), h('dd', null, timeText(c.createdAt)),
    h('dt', null, 'Changed'), h('dd', null, timeText(c.updatedAt)));
  const section = h('section', { class: 'card detail-card' }, h('h2', null, 'Course'));
  if (!ctx.can('update:courses')) {
    section.append(facts);
    return section;
  }
  const form = h('form', { id: 'course-form', class: 'form-course', novalidate: true },
    field({ label: 'Title', name: 'title', value: c.title, required: true, autocomplete: 'off' }),
    field({ label: 'Code', name: 'code', value: c.code, required: true, autocomplete: 'off' }),
    field({ label: 'Status', name: 'status', value: c.status, options: COURSE_STATUS }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save changes')));
  onFormSubmit(form, async (fd) => {
    const input = changedFields(fd, c, ['title', 'code', 'status']);
    if (Object.keys(input).length === 0) {
      toast('Nothing changed.', 'info');
      return;
    }
    await submitBusy(form.querySelector('button[type="submit"]'), form, async () => {
      await gql('mutation($id: ID!, $i: UpdateCourseInput!) { updateCourse(id: $id, input: $i) { id } }', { id: c.id, i: input });
      toast('Saved.');
      await reload();
    });
  });
  section.append(h('div', { class: 'card-columns' }, facts, h('div', null, h('h3', { class: 'edit-title' }, 'Edit'), form)));
  return section;
}

function enrollDialog(ctx, course, done) {
  const formId = newId('enroll');
  const picker = userPicker({ name: 'userId', label: 'Learner' });
  const form = h('form', { id: formId, novalidate: true },
    picker.el,
    h('div', { class: 'field-row' },
      field({ label: 'Status', name: 'status', value: 'ENROLLED', options: ENROLLMENT_STATUS }),
      field({ label: 'Progress (%)', name: 'progress', type: 'number', value: '0', min: '0', max: '100', step: '1', inputmode: 'numeric' }),
      field({ label: 'Start date', name: 'startDate', type: 'date' })));
  formDialog({
    title: `Enroll a user in ${course.title}`,
    form,
    submitLabel: 'Enroll',
    wide: true,
    onSubmit: async (fd, dlg) => {
      const userId = picker.value();
      if (!userId) {
        showFormError(form, { message: 'Choose the user to enroll: search, then pick one of the matches.', field: 'userId' });
        picker.input.focus();
        return;
      }
      const input = { userId, courseId: course.id, status: String(fd.get('status')) };
      const progress = String(fd.get('progress')).trim();
      if (progress !== '') {
        const n = Number(progress);
        if (!Number.isInteger(n)) {
          showFormError(form, { message: 'Progress is a whole number from 0 to 100.', field: 'progress' });
          return;
        }
        input.progress = n;
      }
      const start = String(fd.get('startDate'));
      if (start) input.startDate = start;
      await withBusy(dlg.dialog.querySelector('button[type="submit"]'), async () => {
        try {
          await gql(`mutation($i: EnrollUserInput!) { enrollUser(input: $i) { id ${ctx.can('read:users') ? 'user { name }' : ''} } }`, { i: input });
          dlg.close('enrolled');
          toast('Enrolled.');
          await done();
        } catch (err) {
          // "Already enrolled" names the course, but the user picked is what to change.
          const conflict = err.code === 'CONFLICT' && err.field === 'input.courseId';
          showFormError(form, conflict ? { message: err.message, code: err.code, field: 'userId' } : err);
        }
      });
    },
  });
}

function changeDialog(e, done) {
  const formId = newId('enrollment');
  const who = e.user ? e.user.name : 'this enrollment';
  const form = h('form', { id: formId, novalidate: true },
    field({ label: 'Status', name: 'status', value: e.status, options: ENROLLMENT_STATUS }),
    field({ label: 'Progress (%)', name: 'progress', type: 'number', value: String(e.progress), min: '0', max: '100', step: '1', inputmode: 'numeric' }),
    h('div', { class: 'field-row' },
      field({ label: 'Start date', name: 'startDate', type: 'date', value: e.startDate ?? '' }),
      field({ label: 'End date', name: 'endDate', type: 'date', value: e.endDate ?? '', hint: 'Not before the start date. Empty clears it.' })));
  formDialog({
    title: `Change ${who}`,
    form,
    submitLabel: 'Save',
    onSubmit: async (fd, dlg) => {
      const input = {};
      const status = String(fd.get('status'));
      if (status !== e.status) input.status = status;
      const p = String(fd.get('progress')).trim();
      if (p === '' || !Number.isInteger(Number(p))) {
        showFormError(form, { message: 'Progress is a whole number from 0 to 100.', field: 'progress' });
        return;
      }
      if (Number(p) !== e.progress) input.progress = Number(p);
      for (const k of ['startDate', 'endDate']) {
        const v = String(fd.get(k));
        if (v !== (e[k] ?? '')) input[k] = v === '' ? null : v;
      }
      if (Object.keys(input).length === 0) {
        dlg.close('cancel');
        toast('Nothing changed.', 'info');
        return;
      }
      await submitBusy(dlg.dialog.querySelector('button[type="submit"]'), form, async () => {
        await gql('mutation($id: ID!, $i: UpdateEnrollmentInput!) { updateEnrollment(id: $id, input: $i) { id } }', { id: e.id, i: input });
        dlg.close('saved');
        toast('Enrollment saved.');
        await done();
      });
    },
  });
}

function enrollmentsCard(ctx, course) {
  const withUser = ctx.can('read:users');
  const results = h('div', { class: 'list-results', tabindex: '-1', 'aria-live': 'polite' }, loading('enrollments'));
  const enrollBtn = ctx.can('create:enrollments') && withUser
    ? h('button', { type: 'button', class: 'btn btn-primary', id: 'enroll-user' }, 'Enroll a user') : null;
  const section = h('section', { class: 'card detail-card enrollments-card' },
    h('div', { class: 'card-head' }, h('h2', null, 'Enrollments'), enrollBtn),
    ctx.can('create:enrollments') && !withUser
      ? h('p', { class: 'muted small' }, 'Enrolling someone means finding them among the users, which needs the read:users permission.') : null,
    results);
  const list = pagedList({
    results,
    path: `/courses/${encodeURIComponent(course.id)}`,
    noun: ['enrollment', 'enrollments'],
    fetch: async (st) => {
      const d = await gql(`query($id: ID!, $first: Int, $after: String) { course(id: $id) {
        enrollments(first: $first, after: $after) {
          totalCount pageInfo { hasNextPage endCursor }
          nodes { id status progress startDate endDate updatedAt ${withUser ? 'user { id name email }' : ''} } } } }`, {
        id: course.id, first: PAGE_SIZE, after: st.afters.at(-1) ?? null,
      });
      if (!d.course?.enrollments) throw new Error('The course is gone.');
      return d.course.enrollments;
    },
    empty: () => 'Nobody is enrolled yet.',
    table: (conn) => {
      const mayChange = ctx.can('update:enrollments');
      return dataTable({
        caption: `Enrollments in ${course.title}`,
        columns: ['Learner', 'Status', 'Progress', 'Started', 'Ended', mayChange && ''].filter((x) => x !== false),
        className: 'enrollments-table',
        rows: conn.nodes.map((e) => {
          const change = mayChange ? h('button', {
            type: 'button', class: 'btn btn-small', 'aria-label': `Change the enrollment of ${e.user ? e.user.name : e.id}`,
          }, 'Change') : null;
          change?.addEventListener('click', () => changeDialog(e, () => list.show(list.state)));
          return h('tr', { dataset: { enrollment: e.id } },
            cell('Learner', e.user
              ? [h('a', { href: userHref(e.user.id) }, e.user.name), h('span', { class: 'cell-sub break' }, e.user.email)]
              : h('span', { class: 'muted' }, '—')),
            cell('Status', statusBadge(ENROLLMENT_STATUS, e.status)),
            cell('Progress', h('span', { class: 'progress-cell' },
              h('progress', { max: '100', value: String(e.progress), 'aria-label': `Progress ${e.progress}%` }),
              h('span', { class: 'progress-text' }, `${e.progress}%`))),
            cell('Started', formatDate(e.startDate)),
            cell('Ended', formatDate(e.endDate)),
            mayChange ? cell('', change) : null);
        }),
      });
    },
  });
  enrollBtn?.addEventListener('click', () => enrollDialog(ctx, course, () => list.show(list.state)));
  list.show(readListState([]));
  return section;
}

async function renderCourse(main, ctx, params) {
  const host = h('div', { class: 'course-detail' }, loading('the course'));
  main.append(host);
  async function load() {
    const d = await gql('query($id: ID!) { course(id: $id) { id title code status createdAt updatedAt } }', { id: params.id });
    const c = d.course;
    if (!c) {
      document.title = 'Course not found · lectern Console';
      host.replaceChildren(
        h('p', { class: 'breadcrumb' }, h('a', { href: `${BASE}/courses` }, 'Courses')),
        h('h1', null, 'Course not found'),
        h('p', null, 'There is no course with this ID in your organisation.'));
      return;
    }
    document.title = `${c.title} · lectern Console`;
    host.replaceChildren(
      h('p', { class: 'breadcrumb' }, h('a', { href: `${BASE}/courses` }, 'Courses'), ' › ', c.title),
      h('div', { class: 'page-head' },
        h('div', null, h('h1', null, c.title),
          h('p', { class: 'page-intro' }, h('code', null, c.code), ' ', statusBadge(COURSE_STATUS, c.status)))),
      h('div', { class: 'detail-stack' },
        courseCard(ctx, c, load),
        ctx.can('read:enrollments') ? enrollmentsCard(ctx, c) : null));
  }
  await load();
}

export default [
  {
    path: '/courses',
    title: 'Courses',
    permission: 'read:courses',
    nav: { label: 'Courses', section: 'main' },
    render: renderList,
  },
  {
    path: '/courses/:id',
    title: 'Course',
    permission: 'read:courses',
    nav: null,
    render: renderCourse,
  },
];
