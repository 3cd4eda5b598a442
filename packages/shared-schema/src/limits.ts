/** Input bounds shared by every receiver of the canonical model. */

export const CONTENT_ID_MAX_LENGTH = 255;

/** Largest integer that a JavaScript number represents exactly (2^53 - 1). Versions are bounded by it. */
export const VERSION_MAX = Number.MAX_SAFE_INTEGER;

/** JSON nested deeper than this is rejected before validation, so a hostile body cannot exhaust the stack. */
export const JSON_MAX_DEPTH = 64;

export const CURRENT_SCHEMA_VERSION = 1;
