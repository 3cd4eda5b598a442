'use strict';

// Seeds the catalog (ESCO file) and the courses of examples/data/courses.csv, published. A course
// gets the subset skills whose name appears as a whole word in its title or description (at most
// three), so the demo has tagged content. Courses already present (same source_id) are skipped.
// Usage: node scripts/seed.js [--skills path/to/skills.csv] [--limit N]
const fs = require('fs');
const path = require('path');
const { parse } = require('csv-parse/sync');
const { appDir, loadStrapi } = require('./lib');

const dataDir = path.join(appDir, '..', 'data');
const MAX_TAGS_PER_COURSE = 3;

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function matchingSkills(course, skills) {
  const text = `${course.title} ${course.description}`;
  return skills.filter((skill) => skill.pattern.test(text)).slice(0, MAX_TAGS_PER_COURSE);
}

async function main() {
  const skillsFile = path.resolve(option('--skills', path.join(dataDir, 'skills.csv')));
  const limit = Number(option('--limit', '0'));
  const courses = parse(fs.readFileSync(path.join(dataDir, 'courses.csv'), 'utf8'), { columns: true, skip_empty_lines: true });
  const subset = parse(fs.readFileSync(path.join(dataDir, 'skills_subset_200.csv'), 'utf8'), { columns: true, skip_empty_lines: true })
    // "Python (computer programming)" is matched as "Python"; names under 3 letters match too much.
    .map((skill) => ({ id: skill.id, name: skill.name.replace(/\s*\(.*\)$/, '') }))
    .filter((skill) => skill.name.length >= 3)
    .map((skill) => ({ id: skill.id, pattern: new RegExp(`\\b${escapeRegExp(skill.name)}\\b`, 'i') }));

  const strapi = await loadStrapi();
  try {
    const catalog = strapi.plugin('skill-mapping').service('catalog');
    const report = await catalog.import('csv', fs.readFileSync(skillsFile, 'utf8'));
    console.log(`Skills: created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}, rejected ${report.rejected.length}`);

    const documents = strapi.documents('api::course.course');
    let created = 0;
    let tagged = 0;
    for (const course of limit > 0 ? courses.slice(0, limit) : courses) {
      const existing = await documents.findFirst({ filters: { source_id: course.id } });
      if (existing) continue;
      const tags = matchingSkills(course, subset).map((skill) => ({ skill_id: skill.id, confidence: 1, proficiency: 'beginner', source: 'editor' }));
      const doc = await documents.create({
        data: { title: course.title, description: course.description, subject: course.subject, url: course.url, source_id: course.id, skill_tags: tags },
      });
      await documents.publish({ documentId: doc.documentId });
      created += 1;
      if (tags.length > 0) tagged += 1;
    }
    console.log(`Courses: created ${created} (${tagged} tagged), ${courses.length} in courses.csv`);
  } finally {
    await strapi.destroy();
  }
}

main().catch((error) => {
  console.error(`Seeding failed: ${error.message}`);
  process.exit(1);
});
