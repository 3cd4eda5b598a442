import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CmsItem {
  content_id: string;
  content_type: string;
  locale: string | null;
  title: string;
  skill_tags: Array<{ skill_id: string; skill_name: string; confidence: number; proficiency?: string; source?: string }>;
  metadata_version: number;
  updated_at: string;
  deleted: boolean;
}

export interface CmsChange {
  content_id: string;
  locale: string | null;
  changed_at: string;
  op: 'create' | 'update' | 'delete';
  metadata_version: number;
}

/**
 * A small stand-in for the CMS plugin's pull API under /api/skill-mapping, serving the pull contract's
 * shapes from memory, with switches to fail requests and to expire the change feed cursor.
 */
export class FakeCms {
  readonly token = 'cms-test-token-5b9f1d';
  items = new Map<string, CmsItem>();
  skills: Array<{ skill_id: string; name: string; alt_names: string[]; status: 'active' | 'deprecated'; version: number }> = [];
  changes: CmsChange[] = [];
  /** `limit` of every GET /content request, in order, including failed ones. */
  contentLimits: number[] = [];
  failNext = 0;
  feedExpired = false;
  /** Sends `feed_cursor` with content pages, as the skill-mapping plugin does. */
  sendFeedCursor = true;
  /** Runs after a content page's items are read and before its `feed_cursor`, as in the plugin. */
  afterContentRead?: (request: { offset: number; limit: number }) => void;
  unauthorizedRequests = 0;
  private server?: http.Server;
  url = '';

  put(item: Omit<CmsItem, 'content_type' | 'updated_at' | 'deleted'> & { deleted?: boolean }, op: CmsChange['op'] = 'update'): void {
    const full: CmsItem = { content_type: 'api::course.course', updated_at: new Date().toISOString(), deleted: false, ...item };
    this.items.set(`${item.content_id}|${item.locale ?? ''}`, full);
    this.changes.push({ content_id: item.content_id, locale: item.locale, changed_at: new Date().toISOString(), op, metadata_version: item.metadata_version });
  }

  remove(contentId: string, locale: string | null, metadataVersion: number): void {
    this.items.delete(`${contentId}|${locale ?? ''}`);
    this.changes.push({ content_id: contentId, locale, changed_at: new Date().toISOString(), op: 'delete', metadata_version: metadataVersion });
  }

  async start(): Promise<string> {
    this.server = http.createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://cms');
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      this.unauthorizedRequests += 1;
      return send(401, { error: { status: 401, name: 'UnauthorizedError', message: 'Missing or invalid credentials' } });
    }

    const prefix = '/api/skill-mapping';
    if (!url.pathname.startsWith(prefix)) return send(404, {});
    const path = url.pathname.slice(prefix.length);
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const cursor = url.searchParams.get('cursor');
    const offset = cursor ? Number(cursor) : 0;
    if (path === '/content') this.contentLimits.push(limit);

    if (this.failNext > 0) {
      this.failNext -= 1;
      return send(503, { error: { status: 503, message: 'unavailable' } });
    }

    if (path === '/content/changes') {
      if (this.feedExpired) return send(410, { error: { status: 410, details: { code: 'CURSOR_EXPIRED' } } });
      const start = cursor && !/^\d+$/.test(cursor) ? this.changes.findIndex((change) => change.changed_at >= cursor) : offset;
      const from = start < 0 ? this.changes.length : start;
      const items = this.changes.slice(from, from + limit);
      return send(200, { cursor: String(from + items.length), has_more: from + items.length < this.changes.length, items });
    }
    if (path === '/content') {
      const all = [...this.items.values()].sort((a, b) => `${a.content_id}|${a.locale ?? ''}`.localeCompare(`${b.content_id}|${b.locale ?? ''}`));
      const items = all.slice(offset, offset + limit);
      const has_more = offset + items.length < all.length;
      this.afterContentRead?.({ offset, limit });
      const feed = this.sendFeedCursor ? { feed_cursor: String(this.changes.length) } : {};
      return send(200, { cursor: has_more ? String(offset + items.length) : null, has_more, items, ...feed });
    }
    if (path === '/skills') {
      const items = this.skills.slice(offset, offset + limit);
      const has_more = offset + items.length < this.skills.length;
      return send(200, { cursor: has_more ? String(offset + items.length) : null, has_more, items });
    }
    const match = /^\/content\/([^/]+)$/.exec(path);
    if (match) {
      const item = this.items.get(`${decodeURIComponent(match[1]!)}|${url.searchParams.get('locale') ?? ''}`);
      return item ? send(200, item) : send(404, { error: { status: 404, message: 'Not Found' } });
    }
    return send(404, {});
  }
}
