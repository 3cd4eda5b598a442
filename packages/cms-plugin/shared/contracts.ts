/**
 * Admin API of the skill-mapping plugin: request and response types shared by the server routes and
 * the admin UI. The admin imports from this file only, never from server code.
 *
 * Every route is a Strapi admin route, reached from the admin with `useFetchClient()` at the path
 * shown. Errors keep Strapi's shape (`{ data: null, error: { status, name, message, details } }`)
 * with our stable code in `error.details.code`.
 *
 * GET    /skill-mapping/config - field input settings - authenticated
 * GET    /skill-mapping/skills/search - picker type-ahead over name and alt_names - authenticated
 * GET    /skill-mapping/skills - browse the catalog - authenticated
 * POST   /skill-mapping/skills/import - import CSV or JSON skills - skills.manage
 * POST   /skill-mapping/skills/:skillId/deprecate - deprecate or supersede one skill - skills.manage
 * GET    /skill-mapping/endpoints - list webhook endpoints - endpoints.manage
 * POST   /skill-mapping/endpoints - create an endpoint, returns its secret once - endpoints.manage
 * PUT    /skill-mapping/endpoints/:id - update an endpoint - endpoints.manage
 * DELETE /skill-mapping/endpoints/:id - delete an endpoint - endpoints.manage
 * POST   /skill-mapping/endpoints/:id/rotate-secret - new secret, old one signs until the window ends - endpoints.manage
 * POST   /skill-mapping/endpoints/:id/test - send `endpoint.test` now - endpoints.manage
 * GET    /skill-mapping/deliveries - list outbox rows with counters - deliveries.read
 * GET    /skill-mapping/deliveries/:id - one outbox row with attempts and body - deliveries.read
 * POST   /skill-mapping/deliveries/:id/replay - queue one event again - endpoints.manage
 * POST   /skill-mapping/deliveries/replay-dead - queue every dead event of an endpoint - endpoints.manage
 * POST   /skill-mapping/deliveries/replay-from - queue every event after a feed cursor - endpoints.manage
 * GET    /skill-mapping/audit - audit rows of tag changes - deliveries.read
 * POST   /skill-mapping/audit/withdraw - withdraw one wrong tag, emits `content.tag.deprecated` - endpoints.manage
 * GET    /skill-mapping/content-types - content types with a skill-tags field - authenticated
 */

export const PLUGIN_ID = 'skill-mapping';
export const SKILL_TAGS_FIELD_UID = 'plugin::skill-mapping.skill-tags';

/** Full names of the plugin's RBAC actions, as registered in bootstrap. */
export const ACTIONS = {
  deliveriesRead: 'plugin::skill-mapping.deliveries.read',
  endpointsManage: 'plugin::skill-mapping.endpoints.manage',
  skillsManage: 'plugin::skill-mapping.skills.manage',
  contentTag: 'plugin::skill-mapping.content.tag',
} as const;

export type Proficiency = 'beginner' | 'intermediate' | 'advanced' | 'expert';
export const PROFICIENCY_LEVELS: Proficiency[] = ['beginner', 'intermediate', 'advanced', 'expert'];

export type EventType =
  | 'content.tag.updated'
  | 'content.tag.deprecated'
  | 'content.deleted'
  | 'skill.updated'
  | 'skill.deprecated'
  | 'endpoint.test';

export interface SkillTag {
  skill_id: string;
  /** Filled by the server from the catalog; a value sent by the client is ignored. */
  skill_name: string;
  /** 0..1; an editor's tag has 1. */
  confidence: number;
  proficiency?: Proficiency;
  source?: 'editor' | 'ai';
}

export interface Skill {
  skill_id: string;
  name: string;
  alt_names: string[];
  description?: string | null;
  uri?: string | null;
  framework?: string | null;
  group?: string | null;
  status: 'active' | 'deprecated';
  superseded_by?: string | null;
  /** Present on deprecated skills that have a successor. */
  superseded_by_name?: string | null;
  deprecation_reason?: string | null;
  version: number;
}

export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
}

/** The body of every error response, as Strapi sends it. */
export interface ErrorResponse {
  data: null;
  error: {
    status: number;
    name: string;
    message: string;
    details: { code?: string; issues?: Array<{ path: string; code: string; message: string }>; [key: string]: unknown };
  };
}

// GET /skill-mapping/config
export namespace GetConfig {
  export interface Response {
    defaultProficiency: Proficiency;
    proficiencyLevels: Proficiency[];
    /** False when the admin user lacks `content.tag`: the field input is read-only. */
    canTag: boolean;
  }
}

// GET /skill-mapping/skills/search?q=&limit=20&includeDeprecated=
export namespace SearchSkills {
  export interface Query {
    q: string;
    limit?: number;
    includeDeprecated?: boolean;
    /** Comma-separated skill ids (at most 100): returns exactly those skills, deprecated ones included; `q` is ignored. */
    ids?: string;
  }
  export interface Response {
    results: Skill[];
  }
}

// GET /skill-mapping/skills?q=&status=&page=1&pageSize=25
export namespace ListSkills {
  export interface Query {
    q?: string;
    status?: 'active' | 'deprecated';
    page?: number;
    pageSize?: number;
  }
  export interface Response {
    results: Skill[];
    pagination: Pagination;
  }
}

// POST /skill-mapping/skills/import
export namespace ImportSkills {
  export interface Request {
    format: 'csv' | 'json';
    /** CSV with the ESCO header `id,uri,name,alt_names,description,group` (alt_names separated by `|`), or a JSON array. */
    content: string;
  }
  export interface Response {
    created: number;
    updated: number;
    unchanged: number;
    rejected: Array<{ row: number; reason: string }>;
  }
}

// POST /skill-mapping/skills/:skillId/deprecate
export namespace DeprecateSkill {
  export interface Request {
    reason: string;
    superseded_by?: string;
  }
  export interface Response {
    skill: Skill;
    /** Content items rewritten to the successor. */
    rewritten: number;
  }
}

export interface Endpoint {
  id: number;
  url: string;
  event_types: EventType[];
  /** Content type uids; empty means every content type with a skill-tags field. */
  content_types: string[];
  include_drafts: boolean;
  enabled: boolean;
  /** Last 4 characters of the current secret. */
  secret_hint: string;
  /** Set when the receiver returned 401/403 or 410; cleared by the next success. */
  flagged_reason: string | null;
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

// GET /skill-mapping/endpoints
export namespace ListEndpoints {
  export interface Response {
    results: Endpoint[];
  }
}

// POST /skill-mapping/endpoints and PUT /skill-mapping/endpoints/:id
export namespace SaveEndpoint {
  export interface Request {
    url: string;
    event_types: EventType[];
    content_types: string[];
    include_drafts?: boolean;
    enabled: boolean;
    /** Only on create, optional: a `whsec_...` secret chosen by deploy tooling; generated when absent. */
    secret?: string;
  }
  export interface Response {
    endpoint: Endpoint;
    /** Only on create: the `whsec_...` secret, shown once. */
    secret?: string;
  }
}

// DELETE /skill-mapping/endpoints/:id
export namespace DeleteEndpoint {
  export interface Response {
    id: number;
  }
}

// POST /skill-mapping/endpoints/:id/rotate-secret
export namespace RotateSecret {
  export interface Request {
    /** Hours the old secret keeps signing next to the new one (default 24, at most 720). */
    rotation_window_hours?: number;
  }
  export interface Response {
    secret: string;
    previous_secret_expires_at: string;
  }
}

// POST /skill-mapping/endpoints/:id/test
export namespace TestEndpoint {
  export interface Response {
    status: number | null;
    latency_ms: number;
    response_excerpt: string;
    error?: string;
  }
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'dead';

export interface Delivery {
  id: number;
  event_id: string;
  event_type: EventType;
  content_id: string | null;
  locale: string | null;
  endpoint_id: number;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface Attempt {
  attempt: number;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
  created_at: string;
}

// GET /skill-mapping/deliveries?endpoint=&status=&event_type=&content_id=&page=&pageSize=
export namespace ListDeliveries {
  export interface Query {
    endpoint?: number;
    status?: DeliveryStatus;
    event_type?: EventType;
    content_id?: string;
    page?: number;
    pageSize?: number;
  }
  export interface Response {
    results: Delivery[];
    pagination: Pagination;
    counters: { pending: number; delivered: number; dead: number };
  }
}

// GET /skill-mapping/deliveries/:id
export namespace GetDelivery {
  /** `attempts` is the attempt log here; the count is `attempt_count`. */
  export interface Response extends Omit<Delivery, 'attempts'> {
    attempt_count: number;
    attempts: Attempt[];
    /** The event exactly as sent, parsed. */
    body: unknown;
  }
}

// POST /skill-mapping/deliveries/:id/replay
export namespace ReplayDelivery {
  export interface Response {
    replayed: number;
  }
}

// POST /skill-mapping/deliveries/replay-dead
export namespace ReplayDead {
  export interface Request {
    endpoint_id: number;
  }
  export interface Response {
    replayed: number;
  }
}

// POST /skill-mapping/deliveries/replay-from
export namespace ReplayFrom {
  export interface Request {
    /** A change feed cursor or an RFC 3339 timestamp (inclusive). */
    cursor: string;
    endpoint_id?: number;
  }
  export interface Response {
    replayed: number;
  }
}

export interface AuditRow {
  id: number;
  content_id: string;
  content_type: string;
  locale: string | null;
  /** The document service action that changed the tags, or `withdraw` from the audit view. */
  action: 'create' | 'update' | 'publish' | 'unpublish' | 'delete' | 'discardDraft' | 'clone' | 'withdraw';
  user: { id: number; email: string; firstname: string | null; lastname: string | null } | null;
  before: SkillTag[];
  after: SkillTag[];
  /** True when the row records a change of the published state. */
  published: boolean;
  created_at: string;
}

// GET /skill-mapping/audit?content_id=&page=&pageSize=
export namespace ListAudit {
  export interface Query {
    content_id?: string;
    page?: number;
    pageSize?: number;
  }
  export interface Response {
    results: AuditRow[];
    pagination: Pagination;
  }
}

// POST /skill-mapping/audit/withdraw
export namespace WithdrawTag {
  export interface Request {
    content_type: string;
    content_id: string;
    locale?: string;
    skill_id: string;
    reason: string;
    superseded_by?: string;
  }
  export interface Response {
    /** Null when no enabled endpoint subscribes to `content.tag.deprecated`. */
    event_id: string | null;
    metadata_version: number;
  }
}

// GET /skill-mapping/content-types
export namespace ListContentTypes {
  export interface Response {
    results: Array<{ uid: string; displayName: string; fields: string[] }>;
  }
}
