import { ChangesPage, ContentPage, ContentSkills, SkillsPage } from '@skill-mapping/shared-schema';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import type { z } from 'zod';
import { withLowerCaseSkillIds } from '../state/skill-id';

export class CmsError extends Error {
  constructor(
    readonly code: 'CMS_UNREACHABLE' | 'CMS_ERROR' | 'CMS_RESPONSE_INVALID' | 'CMS_CURSOR_EXPIRED',
    message: string,
    /** Whether the same request may succeed later (network errors, 5xx, 408, 429). */
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface CmsClientOptions {
  baseUrl: string;
  pullPath: string;
  token: string;
  timeoutMs: number;
}

/** Client of the CMS pull API (`GET {CMS_URL}{CMS_PULL_PATH}/content/changes` and friends). */
export class CmsClient {
  private readonly http: AxiosInstance;

  constructor(private readonly options: CmsClientOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, '') + options.pullPath.replace(/\/+$/, ''),
      timeout: options.timeoutMs,
      headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
      decompress: true,
      // Every status is handled below, so axios does not build errors that would carry the headers.
      validateStatus: () => true,
    });
  }

  changes(cursor: string | undefined, limit: number) {
    return this.get('/content/changes', { cursor, limit }, ChangesPage);
  }

  contentPage(cursor: string | null | undefined, limit: number) {
    return this.get('/content', { cursor: cursor ?? undefined, limit }, ContentPage);
  }

  skillsPage(cursor: string | null | undefined, limit: number) {
    return this.get('/skills', { cursor: cursor ?? undefined, limit }, SkillsPage);
  }

  /** Returns the item's current state, or null when the CMS has no published state for it (404). */
  async content(contentId: string, locale: string | null): Promise<ContentSkills | null> {
    try {
      return await this.get(`/content/${encodeURIComponent(contentId)}`, { locale: locale ?? undefined }, ContentSkills);
    } catch (error) {
      if (error instanceof CmsError && error.status === 404) return null;
      throw error;
    }
  }

  private async get<T extends z.ZodType>(path: string, params: Record<string, unknown>, schema: T): Promise<z.infer<T>> {
    const where = `GET ${this.options.pullPath}${path}`;
    let response;
    try {
      response = await this.http.get(path, { params });
    } catch (error) {
      const reason = isAxiosError(error) ? (error.code ?? error.message) : String(error);
      throw new CmsError('CMS_UNREACHABLE', `${where} failed: ${reason}; check CMS_URL and that the CMS is running.`, true);
    }

    if (response.status === 410) {
      throw new CmsError('CMS_CURSOR_EXPIRED', `${where} returned 410: the stored cursor is older than the CMS feed retention.`, false, 410);
    }
    if (response.status < 200 || response.status >= 300) {
      const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
      const hint = response.status === 401 || response.status === 403 ? ' Check CMS_API_TOKEN (a read-only API token with the pull routes is enough).' : '';
      throw new CmsError('CMS_ERROR', `${where} returned HTTP ${response.status}.${hint}`, retryable, response.status);
    }

    const parsed = schema.safeParse(response.data);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new CmsError('CMS_RESPONSE_INVALID', `${where} returned an unexpected shape (${first?.path.length ? first.path.join('.') : 'the response body'}: ${first?.message ?? 'invalid'}); check CMS_PULL_PATH and the plugin version.`, false, response.status);
    }
    return withLowerCaseSkillIds(parsed.data);
  }
}
