import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KeyStore, Scope } from '../keys';
import { ProblemError } from './problems';

/**
 * Returns a Fastify preHandler that requires `Authorization: Bearer <key>` with one of the scopes
 * (`admin` passes everywhere). The key itself never reaches a log or an error.
 */
export function requireScope(keys: KeyStore, ...accepted: Scope[]) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (!header) {
      throw new ProblemError('AUTH_MISSING', 'Send Authorization: Bearer <key>; create a key with `skill-connector keys create --scope ...`.');
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new ProblemError('AUTH_INVALID', 'The Authorization header is not "Bearer <key>".');

    const key = await keys.verify(match[1]!);
    if (!key) throw new ProblemError('AUTH_INVALID', 'The API key is unknown or revoked; create a new one with `skill-connector keys create`.');

    const allowed = key.scopes.includes('admin') || accepted.some((scope) => key.scopes.includes(scope));
    if (!allowed) {
      throw new ProblemError(
        'AUTH_FORBIDDEN',
        `API key ${key.id} has scopes [${key.scopes.join(', ')}]; this route needs one of [${[...new Set([...accepted, 'admin'])].join(', ')}].`,
      );
    }
    request.log = request.log.child({ key_id: key.id });
  };
}
