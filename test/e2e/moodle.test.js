'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { paths } = require('../../scripts/lib/paths');
const { describeWhenReady } = require('../helpers/requirements');
const { startTestStack } = require('../helpers/stack');
const { CmsClient, ConnectorClient } = require('../helpers/clients');
const { waitFor, requestJson, expectStatus } = require('../helpers/http');

// The Moodle test double lives with the connector's Moodle adapter tests; this suite reuses it.
const DOUBLE = path.join(paths.connector, 'test', 'moodle', 'double', 'server.ts');
const NEEDS = [{ name: `Moodle test double (${path.relative(paths.repoRoot, DOUBLE)})`, present: () => fs.existsSync(DOUBLE) }];

const PLANNED = ['tags become course competencies', 'removed tag is unlinked', 'unpublished course is unlinked'];

const MOODLE_TOKEN = 'e2e0strapi0moodle';
const MOODLE_COURSE_ID = 7;

describeWhenReady('Strapi to Moodle through the connector', PLANNED, () => {
  let double;
  let env;
  let cms;
  let course;
  let first;
  let second;

  /** Waits until the Moodle course carries exactly the competencies whose idnumbers are `skillIds`. */
  const courseCompetencies = (skillIds, description) =>
    waitFor(description, () => {
      const linked = double.courseCompetencyIdnumbers(MOODLE_COURSE_ID);
      return JSON.stringify(linked) === JSON.stringify([...skillIds].sort()) ? linked : null;
    });

  beforeAll(async () => {
    const { startMoodleDouble } = require(DOUBLE);
    double = await startMoodleDouble();
    double.addToken(MOODLE_TOKEN);
    double.addCourse(MOODLE_COURSE_ID);

    // No framework CSV import: the adapter creates each competency in Moodle (idnumber = skill UUID)
    // and records its id in the mapping table.
    env = await startTestStack('moodle', {
      frameworkFile: null,
      connectorEnv: {
        LMS_ADAPTER: 'moodle',
        MOODLE_URL: double.url,
        MOODLE_TOKEN,
        MOODLE_SCALE_ID: '2',
        MOODLE_SCALE_MAPPING: 'beginner:1,intermediate:2,advanced:2,expert:2,default:1,proficient:2',
        ADAPTER_POLL_INTERVAL_MS: '100',
        ADAPTER_BACKOFF_BASE_MS: '50',
        ADAPTER_BACKOFF_MAX_MS: '500',
      },
    });
    cms = new CmsClient(env.credentials);
    [course] = await cms.untaggedCourses(1);
    [first, second] = env.catalog.mapped;

    const mapped = await requestJson(`${env.credentials.connector_url}/mappings/content/${course.documentId}`, {
      method: 'PUT',
      token: env.credentials.connector_key,
      body: { lms_course_id: String(MOODLE_COURSE_ID) },
    });
    expectStatus(mapped, [200, 201], 'map the course to the Moodle course');
  });

  afterAll(async () => {
    if (env) await env.stack.stop();
    if (double) await double.stop();
  });

  test('tags become course competencies', async () => {
    await cms.setTags(course.documentId, [
      { skill_id: first.skill_id, confidence: 1, proficiency: 'beginner', source: 'editor' },
      { skill_id: second.skill_id, confidence: 0.8, source: 'ai' },
    ]);

    await courseCompetencies([first.skill_id, second.skill_id], 'both competencies on the Moodle course');
    expect(double.competencyByIdnumber(first.skill_id).shortname).toBe(first.name);

    const item = await new ConnectorClient(env.credentials).content(course.documentId);
    expect(item.lms_course_id).toBe(String(MOODLE_COURSE_ID));
    expect(item.skill_tags.every((tag) => tag.lms_competency_id)).toBe(true);
  });

  test('removed tag is unlinked', async () => {
    await cms.setTags(course.documentId, [{ skill_id: first.skill_id, confidence: 1, proficiency: 'beginner', source: 'editor' }]);

    await courseCompetencies([first.skill_id], 'the removed competency gone from the course');
  });

  test('unpublished course is unlinked', async () => {
    await cms.unpublish(course.documentId);

    await courseCompetencies([], 'no competency left on the course');
    // The competency stays in the framework: only the course link goes.
    expect(double.competencyByIdnumber(first.skill_id)).toBeDefined();
  });
}, { needs: NEEDS });
