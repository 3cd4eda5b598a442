import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { errorFromException, isMoodleException, MoodleCallError } from './errors';
import { encodeForm, type FormValue } from './form';

export interface MoodleClientOptions {
  /** Site root, e.g. `https://moodle.example.org`; `/webservice/rest/server.php` is appended. */
  baseUrl: string;
  token: string;
  timeoutMs: number;
  /** Counts every call in `skill_lms_calls_total{function,result}`. */
  onCall?: (wsfunction: string, result: 'ok' | 'error') => void;
}

const REST_PATH = '/webservice/rest/server.php';

/**
 * Calls Moodle's REST web service endpoint. Every failure is thrown as a MoodleCallError whose kind
 * selects the adapter worker's reaction: `retryable` for network errors, timeouts and 5xx; `paused` for token,
 * service and capability problems; `permanent` for rejected parameters and validation errors.
 */
export class MoodleClient {
  private readonly http: AxiosInstance;
  readonly endpoint: string;

  constructor(private readonly options: MoodleClientOptions) {
    this.endpoint = options.baseUrl.replace(/\/+$/, '') + REST_PATH;
    this.http = axios.create({
      timeout: options.timeoutMs,
      // The body is parsed here so a non-JSON page (proxy error, PHP notice) is reported, not half-read.
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    });
  }

  async call<T>(wsfunction: string, params: Record<string, FormValue> = {}): Promise<T> {
    const body = encodeForm({
      wstoken: this.options.token,
      wsfunction,
      moodlewsrestformat: 'json',
      ...params,
    });

    try {
      const result = await this.send(wsfunction, body);
      this.options.onCall?.(wsfunction, 'ok');
      return result as T;
    } catch (error) {
      this.options.onCall?.(wsfunction, 'error');
      throw error;
    }
  }

  private async send(wsfunction: string, body: string): Promise<unknown> {
    let status: number;
    let text: string;
    try {
      const response = await this.http.post<string>(this.endpoint, body);
      status = response.status;
      text = typeof response.data === 'string' ? response.data : String(response.data ?? '');
    } catch (error) {
      throw this.transportError(wsfunction, error);
    }

    if (status !== 200) throw this.httpStatusError(wsfunction, status);

    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new MoodleCallError(
        'paused',
        'MOODLE_RESPONSE_NOT_JSON',
        `Moodle returned a body that is not JSON for ${wsfunction} from ${this.endpoint} (starts with ${JSON.stringify(text.slice(0, 60))}); check that MOODLE_URL is the site root and that "Display debug messages" is off`,
        wsfunction,
      );
    }

    if (isMoodleException(parsed)) throw errorFromException(wsfunction, parsed);
    return parsed;
  }

  private transportError(wsfunction: string, error: unknown): MoodleCallError {
    // The axios error object contains the request body with the token, so only its code and message are kept.
    const code = isAxiosError(error) ? (error.code ?? 'ERR_UNKNOWN') : 'ERR_UNKNOWN';
    const reason = error instanceof Error ? error.message : String(error);
    const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
    return new MoodleCallError(
      'retryable',
      timedOut ? 'MOODLE_TIMEOUT' : 'MOODLE_UNREACHABLE',
      `${wsfunction} to ${this.endpoint} failed before Moodle answered (${code}: ${reason}); the task is retried with backoff`,
      wsfunction,
    );
  }

  private httpStatusError(wsfunction: string, status: number): MoodleCallError {
    if (status >= 500 || status === 408 || status === 429) {
      return new MoodleCallError(
        'retryable',
        'MOODLE_HTTP_UNAVAILABLE',
        `${wsfunction} to ${this.endpoint} got HTTP ${status}; the task is retried with backoff`,
        wsfunction,
      );
    }
    if (status === 401 || status === 403 || status === 404 || (status >= 300 && status < 400)) {
      return new MoodleCallError(
        'paused',
        'MOODLE_ENDPOINT_REJECTED',
        `${wsfunction} to ${this.endpoint} got HTTP ${status}; check MOODLE_URL and that Enable web services and the REST protocol are on`,
        wsfunction,
      );
    }
    return new MoodleCallError(
      'permanent',
      'MOODLE_HTTP_ERROR',
      `${wsfunction} to ${this.endpoint} got HTTP ${status}; check the Moodle web server log for the request`,
      wsfunction,
    );
  }
}
