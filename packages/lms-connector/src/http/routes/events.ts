import {
  decodeJsonBody,
  JsonBodyError,
  parseEvent,
  verifyWebhook,
  WEBHOOK_ID_HEADER,
  WebhookVerificationError,
} from '@skill-mapping/shared-schema';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app';
import { ProblemError } from '../problems';

/**
 * `POST /events`: verify the signature over the raw bytes, then decode, validate, dedupe on
 * `event_id` and persist in the inbox before returning 202. Nothing is stored unless every check
 * passes.
 */
export async function eventRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // The signature covers the exact bytes, so this scope keeps the body as a Buffer whatever its type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.config.BODY_LIMIT_BYTES }, (_request, body, done) => {
    done(null, body);
  });

  // Webhook responses are tiny, so the compression hook would only cost time on the hot path.
  app.post('/events', { compress: false }, async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);

    try {
      verifyWebhook({
        secrets: deps.webhookSecrets,
        headers: request.headers as Record<string, string | undefined>,
        body,
        toleranceSeconds: deps.config.WEBHOOK_TOLERANCE_SECONDS,
      });
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        deps.metrics.events.inc({ result: 'rejected' });
        throw new ProblemError(error.code, error.message);
      }
      throw error;
    }

    let decoded: unknown;
    try {
      decoded = decodeJsonBody(body);
    } catch (error) {
      if (error instanceof JsonBodyError) {
        deps.metrics.events.inc({ result: 'invalid' });
        throw new ProblemError('PAYLOAD_INVALID', error.message, [{ path: '', code: error.code, message: error.message }]);
      }
      throw error;
    }

    const headerId = String(request.headers[WEBHOOK_ID_HEADER]);
    const bodyId = (decoded as { event_id?: unknown } | null)?.event_id;
    if (typeof bodyId === 'string' && bodyId !== headerId) {
      deps.metrics.events.inc({ result: 'invalid' });
      throw new ProblemError(
        'EVENT_ID_MISMATCH',
        `Header ${WEBHOOK_ID_HEADER} "${headerId.slice(0, 80)}" differs from the body's event_id "${bodyId.slice(0, 80)}"; the sender must use the event_id as webhook-id.`,
      );
    }

    const parsed = parseEvent(decoded);
    if (!parsed.ok) {
      deps.metrics.events.inc({ result: 'invalid' });
      const topCode = parsed.issues.find((issue) => issue.code === 'SCHEMA_VERSION_UNSUPPORTED')
        ? 'SCHEMA_VERSION_UNSUPPORTED'
        : parsed.issues.find((issue) => issue.code === 'EVENT_TYPE_UNKNOWN')
          ? 'EVENT_TYPE_UNKNOWN'
          : 'PAYLOAD_INVALID';
      throw new ProblemError(topCode, `The event has ${parsed.issues.length} invalid field(s); fix every listed issue and send it again.`, parsed.issues);
    }
    const event = parsed.event;

    if (event.event_type === 'endpoint.test') {
      deps.metrics.events.inc({ result: 'test' });
      request.log.info({ event_id: event.event_id }, 'endpoint test event received');
      return reply.code(200).send({ ok: true, event_id: event.event_id, event_type: event.event_type });
    }

    const result = await deps.inbox.insert({
      event_id: event.event_id,
      event_type: event.event_type,
      payload: body.toString('utf8'),
      event_timestamp: event.timestamp,
      received_at: new Date().toISOString(),
      status: 'pending',
      attempts: 0,
    });

    if (result === 'duplicate') {
      deps.metrics.events.inc({ result: 'duplicate' });
      request.log.info({ event_id: event.event_id }, 'duplicate event acknowledged');
      return reply.code(200).send({ duplicate: true, event_id: event.event_id });
    }

    deps.metrics.events.inc({ result: 'accepted' });
    deps.onEventStored();
    return reply.code(202).send({ accepted: true, event_id: event.event_id });
  });
}
