import {
  ChangesPage,
  ContentPage,
  ContentSkills,
  EVENT_SCHEMAS,
  ProblemDetails,
  SkillMappingEvent,
  SkillsPage,
} from '@skill-mapping/shared-schema';
import { z } from 'zod';

const schema = (type: z.ZodType) => z.toJSONSchema(type, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' });

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
});
const json = (description: string, ref?: string) => ({
  description,
  content: { 'application/json': { schema: ref ? { $ref: `#/components/schemas/${ref}` } : { type: 'object' } } },
});
const paging = [
  { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'Opaque cursor from the previous page.' },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
];
const keyAuth = (scope: string) => ({ security: [{ bearer: [scope] }] });

/** Builds the OpenAPI 3.1 document; component schemas are generated from the shared zod schemas. */
export function buildOpenApi(): Record<string, unknown> {
  const eventSchemas = Object.fromEntries(
    Object.entries(EVENT_SCHEMAS).map(([type, eventSchema]) => [`Event_${type.replace(/\./g, '_')}`, schema(eventSchema)]),
  );

  return {
    openapi: '3.1.0',
    info: { title: 'skill-mapping LMS connector', version: '1' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Connector API key (skc_...), scopes changes:read, mappings:write, admin.' } },
      schemas: {
        SkillMappingEvent: schema(SkillMappingEvent),
        ContentSkills: schema(ContentSkills),
        ChangesPage: schema(ChangesPage),
        ContentPage: schema(ContentPage),
        SkillsPage: schema(SkillsPage),
        ProblemDetails: schema(ProblemDetails),
        ...eventSchemas,
      },
    },
    paths: {
      '/events': {
        post: {
          summary: 'Receive one signed event (Standard Webhooks headers webhook-id, webhook-timestamp, webhook-signature).',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SkillMappingEvent' } } } },
          responses: {
            '202': json('Stored in the inbox; applied asynchronously.'),
            '200': json('Duplicate event_id ({"duplicate": true}) or endpoint.test.'),
            '400': problem('PAYLOAD_INVALID, EVENT_ID_MISMATCH, EVENT_TYPE_UNKNOWN or SCHEMA_VERSION_UNSUPPORTED, with every issue.'),
            '401': problem('SIGNATURE_MISSING, SIGNATURE_INVALID or TIMESTAMP_OUT_OF_TOLERANCE.'),
            '413': problem('PAYLOAD_TOO_LARGE.'),
          },
        },
      },
      '/content/changes': {
        get: {
          ...keyAuth('changes:read'),
          summary: 'Change feed after a cursor (an RFC 3339 timestamp is an inclusive start).',
          parameters: paging,
          responses: { '200': json('A page of changes.', 'ChangesPage'), '400': problem('CURSOR_INVALID or LIMIT_OUT_OF_RANGE.'), '410': problem('CURSOR_EXPIRED: the cursor is older than the retention window or past the feed head; run a full reconciliation.') },
        },
      },
      '/content': { get: { ...keyAuth('changes:read'), summary: 'Current state of every content item, paged.', parameters: paging, responses: { '200': json('A page of content items.', 'ContentPage') } } },
      '/content/{contentId}': {
        get: {
          ...keyAuth('changes:read'),
          summary: 'One content item with lms_course_id and, per tag, lms_competency_id, derived_proficiency and status.',
          parameters: [
            { name: 'contentId', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'locale', in: 'query', schema: { type: 'string' } },
          ],
          responses: { '200': json('The content item.', 'ContentSkills'), '404': problem('CONTENT_NOT_FOUND.') },
        },
      },
      '/skills': { get: { ...keyAuth('changes:read'), summary: 'The skill catalog, paged.', parameters: paging, responses: { '200': json('A page of skills.', 'SkillsPage') } } },
      '/mappings/skills': { get: { ...keyAuth('changes:read'), summary: 'Skill -> LMS competency mappings, paged.', parameters: paging, responses: { '200': json('A page of mappings.') } } },
      '/mappings/skills/{skillId}': {
        get: { ...keyAuth('changes:read'), summary: 'One skill mapping.', responses: { '200': json('The mapping.'), '404': problem('MAPPING_NOT_FOUND.') } },
        put: { ...keyAuth('mappings:write'), summary: 'Set {"lms_competency_id"} for a skill; with LMS_ADAPTER=moodle it must be a positive integer.', responses: { '200': json('The mapping.'), '400': problem('MAPPING_INVALID.') } },
        delete: { ...keyAuth('mappings:write'), summary: 'Remove a skill mapping.', responses: { '204': { description: 'Removed.' }, '404': problem('MAPPING_NOT_FOUND.') } },
      },
      '/mappings/content/{contentId}': {
        get: { ...keyAuth('changes:read'), summary: 'The LMS course of a content item.', responses: { '200': json('The mapping.'), '404': problem('MAPPING_NOT_FOUND.') } },
        put: { ...keyAuth('mappings:write'), summary: 'Set {"lms_course_id"} for a content item.', responses: { '200': json('The mapping.') } },
        delete: { ...keyAuth('mappings:write'), summary: 'Remove a content mapping.', responses: { '204': { description: 'Removed.' } } },
      },
      '/mappings/export': { get: { ...keyAuth('changes:read'), summary: 'Skill mappings as CSV (skill_id,lms_competency_id); ?type=content for content_id,lms_course_id.', responses: { '200': { description: 'text/csv' } } } },
      '/mappings/import': {
        post: {
          ...keyAuth('mappings:write'),
          summary: 'Import CSV: skill_id,lms_competency_id or content_id,lms_course_id or a Moodle competency framework export (tool_lpimportcsv).',
          requestBody: { content: { 'text/csv': { schema: { type: 'string' } } } },
          responses: { '200': json('Import report.'), '400': problem('CSV_HEADER_UNKNOWN, CSV_INVALID or CSV_ENCODING_INVALID.') },
        },
      },
      '/mappings/unmapped': { get: { ...keyAuth('changes:read'), summary: 'Skills used by active tags that have no LMS competency mapping.', parameters: paging, responses: { '200': json('A page of unmapped skills.') } } },
      '/reconcile': {
        post: {
          ...keyAuth('admin'),
          summary: 'Start a reconciliation: ?mode=delta|full, &dry_run=true, &wait=true to answer with the report.',
          responses: { '202': json('Started.'), '200': json('Finished (wait=true).'), '409': problem('RECONCILE_RUNNING or RECONCILE_NOT_CONFIGURED.') },
        },
      },
      '/reconcile/runs/{runId}': { get: { ...keyAuth('admin'), summary: 'A reconciliation run and its report.', responses: { '200': json('The run.') } } },
      '/adapter/tasks': { get: { ...keyAuth('admin'), summary: 'LMS adapter tasks (?status=pending|done|failed) with counts and last_error.', parameters: paging, responses: { '200': json('A page of tasks.') } } },
      '/replay': { post: { ...keyAuth('admin'), summary: 'Queue LMS adapter tasks for every content item changed after ?from=<cursor>.', responses: { '200': json('How many tasks were queued.') } } },
      '/healthz': { get: { summary: 'Liveness.', responses: { '200': json('ok') } } },
      '/readyz': { get: { summary: 'Readiness: database reachable and migrations current.', responses: { '200': json('ready'), '503': json('not ready') } } },
      '/metrics': { get: { summary: 'Prometheus metrics.', responses: { '200': { description: 'text/plain' } } } },
    },
  };
}
