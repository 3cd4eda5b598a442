import { errors } from '@strapi/utils';

/**
 * Error catalogue of the plugin. Every error keeps Strapi's error body
 * (`{ data: null, error: { status, name, message, details } }`) and carries our stable code in
 * `details.code`, so clients match on the code and people read the message.
 */
export interface Issue {
  path: string;
  code: string;
  message: string;
}

type Details = Record<string, unknown>;

const NAMES: Record<number, string> = {
  400: 'ValidationError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  409: 'ConflictError',
  410: 'GoneError',
};

/** An error with an HTTP status of its own; controllers turn it into Strapi's error body. */
export class PluginError extends errors.ApplicationError {
  readonly status: number;

  constructor(status: number, code: string, message: string, details: Details = {}) {
    super(message, { code, ...details });
    this.status = status;
    (this as { name: string }).name = NAMES[status] ?? 'ApplicationError';
  }
}

/**
 * Builds a 400 that Strapi's own error middleware formats, for errors thrown inside the document
 * service (a content save), where our controllers are not on the call stack.
 */
export function saveValidationError(code: string, message: string, details: Details = {}) {
  return new errors.ValidationError(message, { code, ...details });
}

export const badRequest = (code: string, message: string, details?: Details) => new PluginError(400, code, message, details);
export const notFound = (code: string, message: string, details?: Details) => new PluginError(404, code, message, details);
export const forbidden = (code: string, message: string, details?: Details) => new PluginError(403, code, message, details);
export const conflict = (code: string, message: string, details?: Details) => new PluginError(409, code, message, details);
export const gone = (code: string, message: string, details?: Details) => new PluginError(410, code, message, details);

/** Writes a PluginError as Strapi's error body; anything else goes on to Strapi's error middleware. */
export function sendPluginError(ctx: any, error: unknown): void {
  if (!(error instanceof PluginError)) {
    throw error;
  }
  ctx.status = error.status;
  ctx.body = {
    data: null,
    error: { status: error.status, name: error.name, message: error.message, details: error.details },
  };
}
