import type { Generated } from 'kysely';

// Timestamps are stored as ISO 8601 UTC text (`Date#toISOString`) on both databases, so they sort the
// same way as strings and as times. Booleans are stored as 0/1 integers for the same reason.

export interface InboxTable {
  id: Generated<number>;
  event_id: string;
  event_type: string;
  /** The verified body as received, kept so an event can be applied again after a crash. */
  payload: string;
  event_timestamp: string;
  received_at: string;
  /** pending | applied | stale | failed */
  status: string;
  attempts: number;
  last_error: string | null;
  applied_at: string | null;
}

export interface ContentStateTable {
  content_id: string;
  /** '' for content without locales, so (content_id, locale) can be a primary key. */
  locale: string;
  content_type: string | null;
  title: string;
  metadata_version: number;
  updated_at: string | null;
  deleted: number;
  deleted_reason: string | null;
  applied_at: string;
  /** Fields of the last state the connector does not model, kept as JSON for forward compatibility. */
  extra: string | null;
}

export interface ContentTagTable {
  content_id: string;
  locale: string;
  skill_id: string;
  skill_name: string;
  confidence: number;
  proficiency: string | null;
  derived_proficiency: string | null;
  source: string | null;
  /** active | deprecated */
  status: string;
  status_reason: string | null;
  superseded_by: string | null;
  updated_at: string;
}

export interface SkillTable {
  skill_id: string;
  name: string;
  alt_names: string;
  description: string | null;
  uri: string | null;
  framework: string | null;
  status: string;
  superseded_by: string | null;
  /** 0 for a skill only known from a tag's `skill_name`, so any catalog event replaces it. */
  version: number;
  updated_at: string;
}

export interface ChangeFeedTable {
  seq: number;
  content_id: string;
  locale: string;
  op: string;
  metadata_version: number;
  changed_at: string;
}

/** One row (id = 1): the last sequence handed out and the highest one pruned by retention. */
export interface FeedCounterTable {
  id: number;
  last_seq: number;
  pruned_through: number;
  /** changed_at of the newest pruned change; an RFC 3339 start before it can no longer be served. */
  pruned_before: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  event_id: string | null;
  /** applied | stale | drift | reconcile | mapping */
  action: string;
  subject_type: string;
  subject_id: string;
  locale: string | null;
  before: string | null;
  after: string | null;
  detail: string | null;
}

export interface AdapterTaskTable {
  id: Generated<number>;
  /** content:<content_id>:<locale> | skill:<skill_id> | catalog; one row per subject. */
  subject_key: string;
  task: string;
  /** pending | done | failed */
  status: string;
  /** Raised by every new request for the subject, so a worker never marks newer work done. */
  generation: number;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  locked_by: string | null;
  locked_until: string | null;
  updated_at: string;
}

export interface SkillMappingTable {
  skill_id: string;
  lms_competency_id: string;
  status: string;
  updated_at: string;
}

export interface ContentMappingTable {
  content_id: string;
  lms_course_id: string;
  updated_at: string;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  /** SHA-256 of the whole key, hex. */
  key_hash: string;
  scopes: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface StateTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface ReconcileSeenTable {
  run_id: string;
  content_id: string;
  locale: string;
}

export interface ReconcileRunTable {
  id: string;
  mode: string;
  dry_run: number;
  status: string;
  started_at: string;
  finished_at: string | null;
  report: string | null;
  error: string | null;
}

export interface Database {
  inbox: InboxTable;
  content_state: ContentStateTable;
  content_tag: ContentTagTable;
  skill: SkillTable;
  change_feed: ChangeFeedTable;
  feed_counter: FeedCounterTable;
  audit: AuditTable;
  adapter_task: AdapterTaskTable;
  skill_mapping: SkillMappingTable;
  content_mapping: ContentMappingTable;
  api_key: ApiKeyTable;
  connector_state: StateTable;
  reconcile_seen: ReconcileSeenTable;
  reconcile_run: ReconcileRunTable;
}
