import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import pino from 'pino';
import type { AdapterContext, AdapterSkill, CourseLink } from '../../src/adapters/types';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'skills_subset_200.csv');

/** Skills of the 200-skill ESCO fixture, as the connector's catalog would hold them. */
export function loadFixtureSkills(): AdapterSkill[] {
  const rows = parse(fs.readFileSync(FIXTURE, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  return rows.map((row) => ({
    skill_id: row.id as string,
    name: row.name as string,
    description: row.description || null,
    status: 'active',
    superseded_by: null,
    version: 1,
  }));
}

/**
 * Connector state kept in memory for adapter tests: catalog, mapping table, content -> course mapping
 * and the skill tags of each content item and locale. The real connector stores the same in SQL.
 */
export class MemoryState {
  readonly skills = new Map<string, AdapterSkill>();
  readonly competencyIds = new Map<string, string>();
  readonly courseByContent = new Map<string, string>();
  /** Tags keyed by `${content_id}|${locale}|${skill_id}`. */
  readonly tags = new Map<string, CourseLink>();
  readonly logLines: Array<Record<string, unknown>> = [];

  constructor(skills: AdapterSkill[] = []) {
    for (const skill of skills) this.skills.set(skill.skill_id, skill);
  }

  /** Replaces the active tags of one content item in one locale; dropped tags become deprecated. */
  tagContent(contentId: string, locale: string, tags: Array<{ skill_id: string; derived_proficiency?: string | null }>): void {
    for (const [key, link] of this.tags) {
      if (link.content_id === contentId && link.locale === locale) this.tags.set(key, { ...link, status: 'deprecated' });
    }
    for (const tag of tags) {
      const link: CourseLink = {
        content_id: contentId,
        locale,
        skill_id: tag.skill_id,
        status: 'active',
        derived_proficiency: tag.derived_proficiency === undefined ? 'intermediate' : tag.derived_proficiency,
      };
      this.tags.set(`${contentId}|${locale}|${tag.skill_id}`, link);
    }
  }

  deleteContent(contentId: string): void {
    for (const [key, link] of this.tags) {
      if (link.content_id === contentId) this.tags.set(key, { ...link, status: 'deprecated' });
    }
  }

  context(): AdapterContext {
    const sink = new Writable({
      write: (chunk, _encoding, callback) => {
        for (const line of String(chunk).split('\n')) if (line) this.logLines.push(JSON.parse(line) as Record<string, unknown>);
        callback();
      },
    });
    return {
      logger: pino({ level: 'debug' }, sink),
      getSkill: async (skillId) => this.skills.get(skillId) ?? null,
      listSkills: () => this.iterateSkills(),
      getCompetencyId: async (skillId) => this.competencyIds.get(skillId) ?? null,
      setCompetencyId: async (skillId, id) => {
        this.competencyIds.set(skillId, id);
      },
      getCourseId: async (contentId) => this.courseByContent.get(contentId) ?? null,
      listCourseLinks: async (courseId) =>
        [...this.tags.values()].filter((link) => this.courseByContent.get(link.content_id) === courseId),
    };
  }

  private async *iterateSkills(): AsyncGenerator<AdapterSkill> {
    for (const skill of this.skills.values()) yield skill;
  }
}
