import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessException, invalidToken, MoodleError } from './exceptions';
import { parsePhpForm, type PhpArray } from './form';
import { FUNCTIONS, type FunctionDefinition, moduleLinkFunction } from './functions';
import { validateParameters } from './params';
import { SiteState, type TokenRecord } from './state';

/** A fault the next matching call meets. */
export type Fault =
  /** Moodle applies the call, then the connection closes before any response byte. */
  | { kind: 'lost-response'; wsfunction?: string; times?: number }
  /** A proxy or PHP failure: the given HTTP status with an HTML page, nothing applied. */
  | { kind: 'http-error'; status?: number; wsfunction?: string; times?: number };

export interface RecordedCall {
  wsfunction: string;
  params: PhpArray;
  /** The exception's errorcode, when the call failed. */
  errorcode?: string;
}

export interface MoodleDoubleOptions {
  /** Name of a site function linking competencies to activities; served only when set. */
  moduleLinkFunction?: string;
  /** Moodle sends `debuginfo` only with debugging on; the default mirrors a developer site. */
  debug?: boolean;
}

export const ALL_CAPABILITIES = ['competencymanage', 'competencyview', 'coursecompetencymanage', 'coursecompetencyview'];

const REST_PATH = '/webservice/rest/server.php';

/**
 * A Moodle site reduced to its REST web service endpoint and the competency functions, on 127.0.0.1 and
 * an ephemeral port. It follows Moodle's protocol: form-encoded bracket parameters, JSON or XML output,
 * and failures as HTTP 200 exception bodies.
 */
export class MoodleDouble {
  readonly state = new SiteState();
  readonly calls: RecordedCall[] = [];
  private readonly faults: Array<Fault & { remaining: number }> = [];
  private readonly functions: Record<string, FunctionDefinition>;
  private server?: http.Server;
  private baseUrl = '';

  constructor(private readonly options: MoodleDoubleOptions = {}) {
    this.functions = { ...FUNCTIONS };
    if (options.moduleLinkFunction) this.functions[options.moduleLinkFunction] = moduleLinkFunction();

    // Scale 2 is Moodle's default competence scale on a fresh site.
    this.state.scales.set(1, ['Separate and Connected ways of knowing', 'Mostly separate knowing', 'Mostly connected knowing']);
    this.state.scales.set(2, ['Not yet competent', 'Competent']);
    this.state.scales.set(3, ['Beginner', 'Intermediate', 'Advanced', 'Expert']);
  }

  get url(): string {
    return this.baseUrl;
  }

  get functionNames(): string[] {
    return Object.keys(this.functions);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(`double failure: ${String(error)}`);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  // Site administration

  /** Issues a token whose external service contains `functions` (default: every function served). */
  addToken(token: string, options: { functions?: string[]; capabilities?: string[]; userid?: number } = {}): TokenRecord {
    const record: TokenRecord = {
      token,
      userid: options.userid ?? 2,
      functions: new Set(options.functions ?? this.functionNames),
      capabilities: new Set(options.capabilities ?? ALL_CAPABILITIES),
      revoked: false,
    };
    this.state.tokens.set(token, record);
    return record;
  }

  revokeToken(token: string): void {
    this.tokenRecord(token).revoked = true;
  }

  restoreToken(token: string): void {
    this.tokenRecord(token).revoked = false;
  }

  addCourse(id: number, options: { visible?: boolean } = {}): void {
    this.state.courses.set(id, { id, visible: options.visible ?? true });
  }

  addCourseModule(cmid: number, courseid: number): void {
    this.state.courseModules.set(cmid, courseid);
  }

  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  // Inspection

  countCalls(wsfunction: string): number {
    return this.calls.filter((call) => call.wsfunction === wsfunction).length;
  }

  courseCompetencyIdnumbers(courseid: number): string[] {
    return [...this.state.courseCompetencies.values()]
      .filter((link) => link.courseid === courseid)
      .map((link) => this.state.competencies.get(link.competencyid)?.idnumber ?? '?')
      .sort();
  }

  competencyByIdnumber(idnumber: string) {
    return [...this.state.competencies.values()].find((competency) => competency.idnumber === idnumber);
  }

  // HTTP

  private tokenRecord(token: string): TokenRecord {
    const record = this.state.tokens.get(token);
    if (!record) throw new Error(`the double has no token ${token}`);
    return record;
  }

  private takeFault(wsfunction: string): Fault | undefined {
    const index = this.faults.findIndex((fault) => fault.wsfunction === undefined || fault.wsfunction === wsfunction);
    if (index < 0) return undefined;
    const fault = this.faults[index] as Fault & { remaining: number };
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname !== REST_PATH) {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html><body>Not found</body></html>');
      return;
    }

    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const contentType = String(req.headers['content-type'] ?? '');
    const body = req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded') ? Buffer.concat(chunks).toString('utf8') : '';

    // Moodle merges GET and POST fields, POST winning.
    const fields: PhpArray = { ...parsePhpForm(url.search.slice(1)), ...parsePhpForm(body) };
    const wsfunction = typeof fields.wsfunction === 'string' ? fields.wsfunction : '';
    const format = fields.moodlewsrestformat === 'json' ? 'json' : 'xml';
    const params: PhpArray = { ...fields };
    for (const control of ['wstoken', 'wsfunction', 'moodlewsrestformat', 'moodlewssettingraw', 'moodlewssettingfilter', 'moodlewssettingfileurl', 'moodlewssettinglang']) {
      delete params[control];
    }

    const fault = this.takeFault(wsfunction);
    if (fault?.kind === 'http-error') {
      this.calls.push({ wsfunction, params, errorcode: `http-${fault.status ?? 503}` });
      res.writeHead(fault.status ?? 503, { 'Content-Type': 'text/html' });
      res.end('<html><body><h1>Service Unavailable</h1></body></html>');
      return;
    }

    let result: unknown;
    let failure: MoodleError | undefined;
    try {
      result = this.dispatch(typeof fields.wstoken === 'string' ? fields.wstoken : '', wsfunction, params);
    } catch (error) {
      if (!(error instanceof MoodleError)) throw error;
      failure = error;
    }
    this.calls.push({ wsfunction, params, errorcode: failure?.errorcode });

    if (fault?.kind === 'lost-response') {
      req.socket.destroy();
      return;
    }

    const output = failure ? failure.toBody(this.options.debug ?? true) : result;
    if (format === 'json') {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(output));
    } else {
      res.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8' });
      res.end(toXml(output, failure !== undefined));
    }
  }

  private dispatch(token: string, wsfunction: string, params: PhpArray): unknown {
    const record = this.state.tokens.get(token);
    if (!record || record.revoked) throw invalidToken();

    const definition = this.functions[wsfunction];
    if (!definition || !record.functions.has(wsfunction)) {
      throw accessException(`Access to the function ${wsfunction}() is not allowed.
There could be multiple reasons for this:
1. The service linked to the user token does not contain the function.
2. The service is user-restricted and the user is not listed.
3. The service is IP-restricted and the user IP is not listed.
4. The service is time-restricted and the time has expired.
5. The token is time-restricted and the time has expired.
6. The user does not have the required capability.
7. The function is called with username/password (no user token is sent)
and none of the services has the function to allow the user.
These settings can be found in Administration > Site administration
> Server > Web services > External services and Manage tokens.`);
    }

    const validated = validateParameters(definition.params, params);
    return definition.run(validated, { state: this.state, token: record, siteUrl: this.baseUrl });
  }
}

/** Moodle's XML output, kept minimal: the adapter always requests JSON, so XML output means a malformed request. */
function toXml(value: unknown, isException: boolean): string {
  const head = '<?xml version="1.0" encoding="UTF-8" ?>\n';
  if (isException) {
    const body = value as Record<string, string>;
    return `${head}<EXCEPTION class="${body.exception}">\n<ERRORCODE>${body.errorcode}</ERRORCODE>\n<MESSAGE>${body.message}</MESSAGE>\n</EXCEPTION>\n`;
  }
  return `${head}<RESPONSE>\n<VALUE>${JSON.stringify(value)}</VALUE>\n</RESPONSE>\n`;
}

export async function startMoodleDouble(options: MoodleDoubleOptions = {}): Promise<MoodleDouble> {
  return new MoodleDouble(options).start();
}
