'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('csv-parse/sync');
const { DemoError } = require('./errors');
const { requestJson } = require('./cms');

// Rows per skills import request; keeps each body well under Strapi's default 1 MB JSON limit.
const SKILLS_PER_REQUEST = 250;
// Parallel course creations; SQLite serializes writes, so more only queues inside Strapi.
const COURSE_CONCURRENCY = 4;

function readCsv(file) {
  return parse(fs.readFileSync(file), { columns: true, bom: true, skip_empty_lines: true });
}

/** Loads the skill catalog through the plugin's admin import route, in pages. */
async function seedSkills(stack, admin) {
  const rows = readCsv(stack.skillsFile);
  const totals = { created: 0, updated: 0, unchanged: 0, rejected: 0 };

  for (let start = 0; start < rows.length; start += SKILLS_PER_REQUEST) {
    const page = rows.slice(start, start + SKILLS_PER_REQUEST);
    const response = await admin.request('POST', '/skill-mapping/skills/import', { format: 'json', content: JSON.stringify(page) });
    const result = response.body && (response.body.data || response.body);
    if (response.status >= 300 || !result) {
      throw new DemoError('SEED_SKILLS_FAILED', `Importing skills ${start + 1}-${start + page.length} of ${path.basename(stack.skillsFile)} failed with HTTP ${response.status}; see ${stack.cms.logFile}.`);
    }
    for (const key of ['created', 'updated', 'unchanged']) totals[key] += result[key] || 0;
    totals.rejected += (result.rejected || []).length;
  }
  if (totals.rejected > 0) {
    throw new DemoError('SEED_SKILLS_REJECTED', `${totals.rejected} skills of ${path.basename(stack.skillsFile)} were rejected by the import; see ${stack.cms.logFile}.`);
  }
  return { total: rows.length, ...totals };
}

/** Creates one published course per CSV row through the content API, skipping rows already present. */
async function seedCourses(stack, token) {
  const rows = readCsv(stack.coursesFile);
  const existing = new Set();
  for (let page = 1; ; page += 1) {
    const response = await requestJson(`${stack.cmsUrl}/api/courses?fields[0]=source_id&pagination[page]=${page}&pagination[pageSize]=100`, { token });
    if (response.status !== 200) throw new DemoError('SEED_COURSES_FAILED', `Listing courses failed with HTTP ${response.status}; see ${stack.cms.logFile}.`);
    for (const course of response.body.data) existing.add(course.source_id);
    if (page >= response.body.meta.pagination.pageCount) break;
  }

  const missing = rows.filter((row) => !existing.has(row.id));
  let next = 0;
  const worker = async () => {
    while (next < missing.length) {
      const row = missing[next++];
      const data = { title: row.title, description: row.description, subject: row.subject, url: row.url, source_id: row.id };
      const response = await requestJson(`${stack.cmsUrl}/api/courses`, { method: 'POST', token, body: { data } });
      if (response.status >= 300) {
        throw new DemoError('SEED_COURSES_FAILED', `Creating course ${row.id} ("${row.title}") failed with HTTP ${response.status}; see ${stack.cms.logFile}.`);
      }
    }
  };
  await Promise.all(Array.from({ length: COURSE_CONCURRENCY }, worker));
  return { total: rows.length, created: missing.length };
}

/** Seeds the catalog and the courses once per CMS database; the demo state records each step. */
async function seedCms(stack, admin) {
  const { state } = stack;

  if (!state.isDone('cms-skills')) {
    stack.log(`seed: importing skills from ${path.basename(stack.skillsFile)}...`);
    const result = await seedSkills(stack, admin);
    state.markDone('cms-skills');
    stack.log(`seed: ${result.total} skills (${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged)`);
  }

  if (!state.isDone('cms-courses')) {
    stack.log(`seed: creating courses from ${path.basename(stack.coursesFile)}...`);
    const result = await seedCourses(stack, state.get('cmsTokens').demo);
    state.markDone('cms-courses');
    stack.log(`seed: ${result.total} courses (${result.created} created)`);
  }
}

module.exports = { seedCms };
