import type { Logger } from 'pino';
import { AdapterError, type AdapterContext, type AdapterSkill, type AdapterTask, type LmsAdapter } from '../types';
import type { MoodleConfig } from './config';
import { MoodleCallError } from './errors';
import { DescriptionFormat, type MoodleApi, type MoodleCompetency, type MoodleFramework, REQUIRED_FUNCTIONS } from './functions';
import { buildScaleConfiguration, itemsOutsideScale } from './scale';
import { sameText, toMoodleName } from './text';

/** A Moodle course, or one activity (course module) in it, as written in the content -> course mapping. */
interface CourseTarget {
  courseId: number;
  cmid?: number;
}

// Bounds the walk along `superseded_by`, so a cycle in the catalog cannot hang a task.
const MAX_SUCCESSOR_HOPS = 10;

/**
 * Reports whether a failure may hide a write Moodle did apply: the response was lost, or Moodle rejected
 * a duplicate idnumber because an earlier attempt had created the record.
 */
function mayHaveBeenApplied(error: unknown): boolean {
  return error instanceof MoodleCallError && (error.kind === 'retryable' || error.errorcode === 'invalidpersistenterror');
}

/**
 * Pushes the catalog to Moodle as one competency framework and each course's skill tags as course
 * competencies. Every task reads the connector's current state and makes Moodle match it, so a retry or
 * a duplicate task converges to the same result.
 */
export class MoodleAdapter implements LmsAdapter {
  readonly name = 'moodle';
  private frameworkId: number | null = null;

  constructor(
    private readonly api: MoodleApi,
    private readonly config: MoodleConfig,
  ) {}

  async run(task: AdapterTask, ctx: AdapterContext): Promise<void> {
    switch (task.kind) {
      case 'catalog':
        return this.pushCatalog(ctx);
      case 'skill':
        return this.syncSkill(task.skill_id, ctx);
      case 'content':
        return this.syncContent(task.content_id, ctx);
    }
  }

  /** Checks the token, the service's function list, that competencies are enabled and the scale mapping. */
  async probe(): Promise<void> {
    const info = await this.api.getSiteInfo();

    const available = new Set((info.functions ?? []).map((fn) => fn.name));
    const required: string[] = [...REQUIRED_FUNCTIONS];
    if (this.config.moduleLinkFunction) required.push(this.config.moduleLinkFunction);
    const missing = required.filter((name) => !available.has(name));
    if (info.functions && missing.length > 0) {
      throw new AdapterError(
        'paused',
        'MOODLE_FUNCTION_MISSING',
        `The external service of the Moodle token lacks ${missing.join(', ')}; add them under Site administration > Server > Web services > External services > Functions`,
      );
    }

    // Also fails while competencies are disabled. Before the framework exists, the scale mapping is
    // checked too, so a mapping that does not fit the scale keeps the adapter paused.
    if (!(await this.findFramework())) await this.scaleConfiguration();
  }

  // Framework

  /** Finds the framework by its idnumber or creates it; the id is kept for the life of the process. */
  private async ensureFramework(logger: Logger): Promise<number> {
    if (this.frameworkId !== null) return this.frameworkId;

    const existing = await this.findFramework();
    if (existing) {
      this.useFramework(existing, logger);
      return existing.id;
    }

    const scaleconfiguration = await this.scaleConfiguration();
    try {
      const created = await this.api.createFramework({
        shortname: this.config.frameworkShortname,
        idnumber: this.config.frameworkIdnumber,
        description: '',
        descriptionformat: DescriptionFormat.PLAIN,
        scaleid: this.config.scaleId,
        scaleconfiguration,
        taxonomies: 'skill',
      });
      logger.info({ framework_id: created.id, idnumber: created.idnumber }, 'created Moodle competency framework');
      this.frameworkId = created.id;
      return created.id;
    } catch (error) {
      if (!mayHaveBeenApplied(error)) throw error;
      const found = await this.findFramework();
      if (!found) throw error;
      this.useFramework(found, logger);
      return found.id;
    }
  }

  private async findFramework(): Promise<MoodleFramework | undefined> {
    const idnumber = this.config.frameworkIdnumber;
    const candidates = await this.api.listFrameworks(idnumber);
    return candidates.find((framework) => framework.idnumber === idnumber);
  }

  private useFramework(framework: MoodleFramework, logger: Logger): void {
    if (Number(framework.scaleid) !== this.config.scaleId) {
      // Moodle forbids changing the scale once users are rated, so this is reported and left alone.
      logger.warn(
        { framework_id: framework.id, scaleid: framework.scaleid, configured_scaleid: this.config.scaleId },
        'Moodle framework uses another scale than MOODLE_SCALE_ID; keeping the framework scale',
      );
    }
    this.frameworkId = framework.id;
  }

  private async scaleConfiguration(): Promise<string> {
    const scaleId = this.config.scaleId;
    let values;
    try {
      values = await this.api.getScaleValues(scaleId);
    } catch (error) {
      if (error instanceof MoodleCallError && error.code === 'MOODLE_RECORD_NOT_FOUND') {
        throw new AdapterError('paused', 'MOODLE_SCALE_NOT_FOUND', `Moodle has no scale with id ${scaleId}; set MOODLE_SCALE_ID to an existing scale (Site administration > Grades > Scales) and restart`);
      }
      throw error;
    }

    const outside = itemsOutsideScale(this.config.scaleMapping, values);
    if (values.length === 0 || outside.length > 0) {
      const names = values.map((value) => `${value.id}=${value.name}`).join(', ');
      throw new AdapterError(
        'paused',
        'MOODLE_SCALE_MAPPING_INVALID',
        `MOODLE_SCALE_MAPPING names items ${outside.join(', ')} that scale ${scaleId} lacks (items: ${names || 'none'}); fix MOODLE_SCALE_MAPPING or MOODLE_SCALE_ID and restart`,
      );
    }
    return buildScaleConfiguration(scaleId, this.config.scaleMapping, values);
  }

  // Competencies

  private competencyFields(skill: AdapterSkill, frameworkId: number) {
    return {
      shortname: toMoodleName(skill.name),
      idnumber: skill.skill_id,
      description: skill.description ?? '',
      descriptionformat: DescriptionFormat.PLAIN,
      competencyframeworkid: frameworkId,
    };
  }

  /**
   * Creates the skill's competency; after a lost response or a taken idnumber, records the existing one
   * instead. `created` is false in that case, so callers do not log a creation that did not happen.
   */
  private async createCompetency(skill: AdapterSkill, frameworkId: number, ctx: AdapterContext): Promise<{ id: number; created: boolean }> {
    try {
      const created = await this.api.createCompetency(this.competencyFields(skill, frameworkId));
      await ctx.setCompetencyId(skill.skill_id, String(created.id));
      return { id: created.id, created: true };
    } catch (error) {
      if (!mayHaveBeenApplied(error)) throw error;

      const existing = await this.api.findCompetencyByIdnumber(frameworkId, skill.skill_id);
      if (!existing) throw error;

      ctx.logger.info(
        { skill_id: skill.skill_id, competency_id: existing.id },
        'Moodle already had the competency; recorded its id instead of creating another',
      );
      await ctx.setCompetencyId(skill.skill_id, String(existing.id));
      await this.updateIfChanged(existing, skill);
      return { id: existing.id, created: false };
    }
  }

  /** Sends the skill's name and description when Moodle's decoded text differs; true when it did. */
  private async updateIfChanged(competency: MoodleCompetency, skill: AdapterSkill): Promise<boolean> {
    const shortname = toMoodleName(skill.name);
    const description = skill.description ?? '';
    if (sameText(competency.shortname, shortname) && sameText(competency.description, description)) return false;

    await this.api.updateCompetency({ id: competency.id, shortname, description, descriptionformat: DescriptionFormat.PLAIN });
    return true;
  }

  /**
   * Returns the Moodle competency id of a skill. A mapping without a Moodle id (a framework CSV row
   * records the idnumber) is resolved by idnumber; the competency is created when Moodle has none.
   */
  private async competencyIdFor(skillId: string, frameworkId: number, ctx: AdapterContext): Promise<number> {
    const mapped = moodleId(await ctx.getCompetencyId(skillId));
    if (mapped !== null) return mapped;

    const skill = await ctx.getSkill(skillId);
    if (!skill) {
      throw new AdapterError('permanent', 'MOODLE_SKILL_UNKNOWN', `Skill ${skillId} is tagged but missing from the connector catalog; run a full reconciliation, then replay the task`);
    }
    const found = await this.api.findCompetencyByIdnumber(frameworkId, skillId);
    if (found) {
      await ctx.setCompetencyId(skillId, String(found.id));
      return found.id;
    }
    return (await this.createCompetency(skill, frameworkId, ctx)).id;
  }

  private async syncSkill(skillId: string, ctx: AdapterContext): Promise<void> {
    const skill = await ctx.getSkill(skillId);
    if (!skill) {
      ctx.logger.warn({ skill_id: skillId }, 'skill not found in the connector catalog; nothing to push to Moodle');
      return;
    }
    const frameworkId = await this.ensureFramework(ctx.logger);

    const existing = await this.loadCompetency(skill, frameworkId, ctx);
    if (existing) {
      const updated = await this.updateIfChanged(existing, skill);
      if (updated) ctx.logger.info({ skill_id: skillId, competency_id: existing.id }, 'updated Moodle competency');
    } else {
      const { id, created } = await this.createCompetency(skill, frameworkId, ctx);
      if (created) ctx.logger.info({ skill_id: skillId, competency_id: id }, 'created Moodle competency');
    }

    // A deprecated skill keeps its competency for history; its successor needs one for the moved links.
    if (skill.status === 'deprecated' && skill.superseded_by) {
      const successor = await ctx.getSkill(skill.superseded_by);
      if (successor) await this.competencyIdFor(successor.skill_id, frameworkId, ctx);
    }
  }

  /**
   * Loads the skill's competency through the mapping when it contains a Moodle id of a competency with the
   * skill's idnumber, else by idnumber (then recorded); null when Moodle has none.
   */
  private async loadCompetency(skill: AdapterSkill, frameworkId: number, ctx: AdapterContext): Promise<MoodleCompetency | null> {
    const mapped = await ctx.getCompetencyId(skill.skill_id);
    const mappedId = moodleId(mapped);
    if (mappedId !== null) {
      try {
        const competency = await this.api.readCompetency(mappedId);
        // An id typed by hand or taken from another site may name an unrelated competency.
        if (competency.idnumber === skill.skill_id) return competency;
        ctx.logger.warn({ skill_id: skill.skill_id, competency_id: mappedId, idnumber: competency.idnumber }, 'mapped Moodle competency has another idnumber; looking it up by idnumber');
      } catch (error) {
        if (!(error instanceof MoodleCallError && error.code === 'MOODLE_RECORD_NOT_FOUND')) throw error;
        ctx.logger.warn({ skill_id: skill.skill_id, competency_id: mapped }, 'mapped Moodle competency no longer exists; looking it up by idnumber');
      }
    }

    const found = await this.api.findCompetencyByIdnumber(frameworkId, skill.skill_id);
    if (found && String(found.id) !== mapped) await ctx.setCompetencyId(skill.skill_id, String(found.id));
    return found;
  }

  private async pushCatalog(ctx: AdapterContext): Promise<void> {
    const frameworkId = await this.ensureFramework(ctx.logger);

    // NOTE: every competency record of the framework stays in memory for the length of the push.
    const existing = new Map<string, MoodleCompetency>();
    for await (const competency of this.api.iterateFrameworkCompetencies(frameworkId, this.config.chunkSize)) {
      existing.set(competency.idnumber, competency);
    }

    const counts = { created: 0, updated: 0, recorded: 0, unchanged: 0, failed: 0 };
    const failures: string[] = [];
    for await (const skill of ctx.listSkills()) {
      try {
        const found = existing.get(skill.skill_id);
        if (!found) {
          const { created } = await this.createCompetency(skill, frameworkId, ctx);
          counts[created ? 'created' : 'recorded'] += 1;
          continue;
        }
        if ((await ctx.getCompetencyId(skill.skill_id)) !== String(found.id)) {
          await ctx.setCompetencyId(skill.skill_id, String(found.id));
          counts.recorded += 1;
        }
        if (await this.updateIfChanged(found, skill)) counts.updated += 1;
        else counts.unchanged += 1;
      } catch (error) {
        // One rejected skill must not stop the rest; token and network problems stop the push at once.
        if (!(error instanceof AdapterError) || error.kind !== 'permanent') throw error;
        counts.failed += 1;
        if (failures.length < 5) failures.push(`${skill.skill_id}: ${error.message}`);
      }
    }

    ctx.logger.info({ framework_id: frameworkId, ...counts }, 'pushed skill catalog to Moodle');
    if (counts.failed > 0) {
      throw new AdapterError(
        'permanent',
        'MOODLE_CATALOG_INCOMPLETE',
        `${counts.failed} skills were rejected by Moodle (first: ${failures.join(' | ')}); fix them and run the catalog push again`,
      );
    }
  }

  // Courses

  private async syncContent(contentId: string, ctx: AdapterContext): Promise<void> {
    const courseRef = await ctx.getCourseId(contentId);
    if (courseRef === null) {
      ctx.logger.debug({ content_id: contentId }, 'content item has no Moodle course mapping; nothing to push');
      return;
    }
    await this.syncCourse(courseRef, contentId, ctx);
  }

  /**
   * Makes the course's competencies of our framework equal to the union of the active, linked skill tags
   * of every content item and locale mapped to it. Competencies of other frameworks are left alone.
   */
  private async syncCourse(courseRef: string, contentId: string, ctx: AdapterContext): Promise<void> {
    const target = parseCourseTarget(courseRef, contentId);
    const frameworkId = await this.ensureFramework(ctx.logger);

    const desired = await this.desiredCompetencies(courseRef, frameworkId, ctx);
    const current = await this.api.listCourseCompetencies(target.courseId);
    const linked = new Set(current.map((entry) => Number(entry.competency.id)));
    const toAdd = [...desired].filter((id) => !linked.has(id));
    const toRemove = this.removable(target, current, frameworkId, desired);

    for (const competencyId of toAdd) await this.api.addCompetencyToCourse(target.courseId, competencyId);
    for (const competencyId of toRemove) await this.api.removeCompetencyFromCourse(target.courseId, competencyId);

    // Another item of this course may have tagged a removed skill while this task ran, and its own task
    // may have found the link still present. Reading the links again after removing closes that gap.
    let restored = 0;
    if (toRemove.length > 0) {
      const desiredNow = await this.desiredCompetencies(courseRef, frameworkId, ctx);
      for (const competencyId of toRemove.filter((id) => desiredNow.has(id))) {
        await this.api.addCompetencyToCourse(target.courseId, competencyId);
        restored += 1;
      }
    }
    if (target.cmid !== undefined) await this.linkModule(target.cmid, desired, ctx);

    ctx.logger.info(
      { content_id: contentId, course_id: target.courseId, cmid: target.cmid, added: toAdd.length, removed: toRemove.length - restored, linked: desired.size },
      'synchronised Moodle course competencies',
    );
  }

  /** Competency ids of the active, banded tags of every item and locale mapped to the course. */
  private async desiredCompetencies(courseRef: string, frameworkId: number, ctx: AdapterContext): Promise<Set<number>> {
    const links = await ctx.listCourseLinks(courseRef);
    const skillCache = new Map<string, AdapterSkill | null>();
    const linkedSkills = new Set<string>();
    for (const link of links) {
      // A band below the lowest one means the tag is kept in the connector but not linked in Moodle.
      if (link.status !== 'active' || link.derived_proficiency === null) continue;
      linkedSkills.add(await this.currentSkillId(link.skill_id, ctx, skillCache));
    }

    const desired = new Set<number>();
    for (const skillId of linkedSkills) desired.add(await this.competencyIdFor(skillId, frameworkId, ctx));
    return desired;
  }

  private removable(
    target: CourseTarget,
    current: Awaited<ReturnType<MoodleApi['listCourseCompetencies']>>,
    frameworkId: number,
    desired: Set<number>,
  ): number[] {
    if (this.config.keepCourseLinks) return [];
    // NOTE: items mapped to one activity do not see the rest of the course, so they only add links.
    if (target.cmid !== undefined) return [];
    return current
      .filter((entry) => Number(entry.competency.competencyframeworkid) === frameworkId)
      .map((entry) => Number(entry.competency.id))
      .filter((id) => !desired.has(id));
  }

  private async linkModule(cmid: number, desired: Set<number>, ctx: AdapterContext): Promise<void> {
    const functionName = this.config.moduleLinkFunction;
    if (!functionName) {
      ctx.logger.warn({ cmid }, 'content is mapped to a Moodle activity but MOODLE_MODULE_LINK_FUNCTION is not set; linked to the course only');
      return;
    }
    // TODO: unlinking from an activity needs a second site function; links are only added here.
    for (const competencyId of desired) await this.api.linkCompetencyToModule(functionName, cmid, competencyId);
  }

  /** Follows `superseded_by` from a deprecated skill to the skill its links move to. */
  private async currentSkillId(skillId: string, ctx: AdapterContext, cache: Map<string, AdapterSkill | null>): Promise<string> {
    const load = async (id: string) => {
      if (!cache.has(id)) cache.set(id, await ctx.getSkill(id));
      return cache.get(id) ?? null;
    };

    let currentId = skillId;
    for (let hop = 0; hop < MAX_SUCCESSOR_HOPS; hop += 1) {
      const skill = await load(currentId);
      if (!skill || skill.status !== 'deprecated' || !skill.superseded_by) return currentId;
      if (!(await load(skill.superseded_by))) return currentId;
      currentId = skill.superseded_by;
    }
    return currentId;
  }
}

/**
 * Reads a mapped competency reference as a Moodle id. Anything else (no mapping, or the idnumber a
 * framework CSV records) is null: the competency is then found by its idnumber.
 */
function moodleId(value: string | null): number | null {
  if (value === null || !/^[1-9]\d*$/.test(value)) return null;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : null;
}

/** Reads `COURSEID` or `COURSEID:CMID` (an activity in that course). */
function parseCourseTarget(value: string, contentId: string): CourseTarget {
  const match = /^(\d+)(?::(\d+))?$/.exec(value.trim());
  if (!match) {
    throw new AdapterError(
      'permanent',
      'MOODLE_COURSE_ID_INVALID',
      `Content ${contentId} is mapped to course ${JSON.stringify(value)}, which is not a Moodle course id; map it to COURSEID or COURSEID:CMID with PUT /mappings/content/${contentId}`,
    );
  }
  const courseId = Number(match[1]);
  return match[2] === undefined ? { courseId } : { courseId, cmid: Number(match[2]) };
}
