import http from 'http';
import type { AddressInfo } from 'net';
import { verifyWebhook } from '@skill-mapping/shared-schema';

export interface ReceivedEvent {
  raw: Buffer;
  headers: Record<string, string>;
  body: any;
  verified: boolean;
  status: number;
}

export type Reply = { status: number; headers?: Record<string, string>; body?: string; /** Holds the answer this long. */ delayMs?: number };

/**
 * A webhook receiver on 127.0.0.1 for tests. It verifies every request with the endpoint secret on
 * the raw bytes, records it, and replies with the next scripted reply (200 by default).
 */
export class TestReceiver {
  readonly events: ReceivedEvent[] = [];
  secrets: string[] = [];
  /** When set, every request gets this reply once the scripted ones are used up. */
  fallback: Reply | null = null;
  private replies: Reply[] = [];
  private server = http.createServer((request, response) => this.handle(request, response));
  private waiters: Array<() => void> = [];

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** Queues replies for the next requests; after them the receiver replies 200. */
  script(...replies: Reply[]): void {
    this.replies.push(...replies);
  }

  delivered(): ReceivedEvent[] {
    return this.events.filter((event) => event.status >= 200 && event.status < 300);
  }

  /** Waits until `predicate` holds, polling on each request; fails after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`receiver condition not met within ${timeoutMs} ms; got ${this.events.length} requests`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      let verified = false;
      try {
        verifyWebhook({ secrets: this.secrets, headers, body: raw });
        verified = true;
      } catch {
        verified = false;
      }
      const reply = this.replies.shift() ?? this.fallback ?? { status: verified ? 200 : 401 };
      this.events.push({ raw, headers, body: verified ? JSON.parse(raw.toString('utf8')) : null, verified, status: reply.status });
      const answer = () => {
        if (response.destroyed) return;
        response.writeHead(reply.status, { 'content-type': 'text/plain', ...(reply.headers ?? {}) });
        response.end(reply.body ?? 'ok');
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs).unref();
      else answer();
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
}
