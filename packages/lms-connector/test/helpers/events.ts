import { randomUUID } from 'node:crypto';
import { signWebhook } from '@skill-mapping/shared-schema';

export const TEST_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const OTHER_SECRET = 'whsec_OTHERr8GKYqrTwjUPD8ILPZIo2LaLaSw';

export interface TagInput {
  skill_id: string;
  confidence?: number;
  proficiency?: 'beginner' | 'intermediate' | 'advanced' | 'expert';
  source?: 'editor' | 'ai';
  skill_name?: string;
}

export function tagUpdated(contentId: string, metadataVersion: number, tags: TagInput[], extra: { locale?: string | null; title?: string; event_id?: string } = {}) {
  return {
    event_id: extra.event_id ?? randomUUID(),
    event_type: 'content.tag.updated',
    schema_version: 1,
    timestamp: new Date().toISOString(),
    source: 'cms',
    data: {
      content_id: contentId,
      content_type: 'api::course.course',
      locale: extra.locale ?? null,
      title: extra.title ?? `Course ${contentId}`,
      metadata_version: metadataVersion,
      updated_at: new Date().toISOString(),
      deleted: false,
      skill_tags: tags.map((tag) => ({
        skill_id: tag.skill_id,
        skill_name: tag.skill_name ?? `Skill ${tag.skill_id.slice(0, 8)}`,
        confidence: tag.confidence ?? 1,
        ...(tag.proficiency ? { proficiency: tag.proficiency } : {}),
        ...(tag.source ? { source: tag.source } : {}),
      })),
    },
  };
}

export function contentDeleted(contentId: string, metadataVersion: number, locale: string | null = null) {
  return {
    event_id: randomUUID(),
    event_type: 'content.deleted',
    schema_version: 1,
    timestamp: new Date().toISOString(),
    source: 'cms',
    data: { content_id: contentId, locale, reason: 'deleted', metadata_version: metadataVersion },
  };
}

export function skillUpdated(skillId: string, version: number, name: string) {
  return {
    event_id: randomUUID(),
    event_type: 'skill.updated',
    schema_version: 1,
    timestamp: new Date().toISOString(),
    source: 'cms',
    data: { skill_id: skillId, name, alt_names: [], status: 'active', version },
  };
}

/** Serializes once and signs those bytes, as a real sender does. */
export function signedRequest(event: object, options: { secret?: string; timestamp?: number; id?: string; body?: string } = {}) {
  const body = options.body ?? JSON.stringify(event);
  const id = options.id ?? String((event as { event_id?: unknown }).event_id ?? randomUUID());
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook({ secrets: options.secret ?? TEST_SECRET, id, timestamp, body }),
    } as Record<string, string>,
  };
}

export const SKILLS = Array.from({ length: 12 }, (_, index) => `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`);
