import type { Core } from '@strapi/strapi';
import { badRequest, forbidden, notFound } from '../lib/errors';
import { normalizeTags, parseJsonColumn } from '../lib/tags';
import { validateSkillTags } from './tag-validation';
import { findTaggedTypes } from './recorder';

const PUBLISH_ACTION = 'plugin::skill-mapping.tagging.publish';

function resolveTarget(strapi: Core.Strapi, body: Record<string, any>) {
  const types = findTaggedTypes(strapi);
  const uid = body.content_type;
  const type = typeof uid === 'string' ? types.get(uid) : undefined;
  if (!type) {
    throw badRequest('CONTENT_TYPE_INVALID', `content_type "${String(uid)}" has no skill-tags field; use one of: ${[...types.keys()].join(', ') || '(none)'}.`, {
      value: String(uid),
    });
  }
  const locale = typeof body.locale === 'string' && body.locale !== '' ? body.locale : undefined;
  return { type, locale };
}

/** Returns true for full-access API tokens and for callers whose ability includes the publish action. */
function mayPublish(ctx: any): boolean {
  const auth = ctx.state?.auth;
  if (auth?.strategy?.name === 'content-api-token' && auth.credentials?.type === 'full-access') return true;
  return Boolean(auth?.ability?.can?.(PUBLISH_ACTION));
}

/**
 * Replaces the item's `source: "ai"` tags with the given ones, keeps the editor's tags, writes the
 * draft through the document service (so validation, audit and events apply), and publishes when
 * asked and allowed.
 */
export async function writeExternalTags(strapi: Core.Strapi, ctx: any, contentId: string, body: Record<string, any>) {
  const { type, locale } = resolveTarget(strapi, body);
  const field = type.fields[0]!;
  if (!Array.isArray(body.skill_tags)) {
    throw badRequest('SKILL_TAGS_INVALID', `skill_tags must be an array of skill tags like [{"skill_id":"<uuid>","confidence":0.8}]; got ${body.skill_tags === null ? 'null' : typeof body.skill_tags}.`, {
      field: 'skill_tags',
    });
  }
  if (body.publish !== undefined && typeof body.publish !== 'boolean') {
    throw badRequest('TAGS_PUBLISH_INVALID', `publish ${JSON.stringify(body.publish)} is not a boolean; send true or false (JSON booleans, not strings), or leave it out.`, {
      value: body.publish,
    });
  }
  if (body.publish === true && !mayPublish(ctx)) {
    throw forbidden('TAGS_PUBLISH_FORBIDDEN', `this API token may write tags but not publish; send "publish": false, or grant the token the action ${PUBLISH_ACTION}.`);
  }

  const documents = strapi.documents(type.uid as any);
  const current = await documents.findOne({ documentId: contentId, locale, status: 'draft' } as any);
  if (!current) {
    throw notFound('CONTENT_NOT_FOUND', `content "${contentId}" of type ${type.uid}${locale ? ` in locale "${locale}"` : ''} was not found; check the documentId and locale.`, {
      value: contentId,
    });
  }

  const currentTags = normalizeTags(parseJsonColumn((current as any)[field]));
  // Validated here as well as on save, so issue paths use the request's own indexes rather than
  // those of the merged list with the editor's tags in front.
  await validateSkillTags(strapi, strapi.db.connection, 'skill_tags', body.skill_tags, currentTags.filter((tag) => tag.source === 'ai'));
  const editorTags = currentTags.filter((tag) => tag.source !== 'ai');
  const editorIds = new Set(editorTags.map((tag) => tag.skill_id));
  const aiTags = body.skill_tags
    .filter((tag: any) => !(tag && editorIds.has(tag.skill_id)))
    .map((tag: any) => (tag && typeof tag === 'object' ? { ...tag, source: 'ai' } : tag));

  await documents.update({ documentId: contentId, locale, data: { [field]: [...editorTags, ...aiTags] } } as any);
  if (body.publish === true) {
    await documents.publish({ documentId: contentId, locale } as any);
  }

  const saved = await documents.findOne({ documentId: contentId, locale, status: 'draft' } as any);
  return {
    content_id: contentId,
    content_type: type.uid,
    ...(locale ? { locale } : {}),
    skill_tags: normalizeTags(parseJsonColumn((saved as any)?.[field])),
    published: body.publish === true,
  };
}

/** Publishes the item's current draft, so a tagging service can publish after a review step. */
export async function publishContent(strapi: Core.Strapi, contentId: string, body: Record<string, any>) {
  const { type, locale } = resolveTarget(strapi, body);
  const documents = strapi.documents(type.uid as any);
  const current = await documents.findOne({ documentId: contentId, locale, status: 'draft' } as any);
  if (!current) {
    throw notFound('CONTENT_NOT_FOUND', `content "${contentId}" of type ${type.uid} was not found; check the documentId and locale.`, { value: contentId });
  }
  await documents.publish({ documentId: contentId, locale } as any);
  return { content_id: contentId, content_type: type.uid, ...(locale ? { locale } : {}), published: true };
}
