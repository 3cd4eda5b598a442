import { loadConfig } from '../src/config';
import { redactDatabaseUrl } from '../src/db/connection';
import { loadServeConfig } from '../src/service';

function configLines(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    return (error as { lines: string[] }).lines;
  }
  throw new Error('expected a ConfigError');
}

describe('connector settings', () => {
  test.each(['mysql://user:pw@db.example/skills', 'pg://user@127.0.0.1/skills', 'mongodb+srv://cluster/skills'])('DATABASE_URL %s is an unsupported scheme', (url) => {
    const lines = configLines(() => loadConfig({ DATABASE_URL: url }));
    expect(lines).toEqual([expect.stringMatching(/^DATABASE_URL=\(value hidden\): unsupported scheme "[a-z+]+:"; use postgres:\/\//)]);
  });

  test.each(['postgres://u@127.0.0.1/db', 'postgresql://u@127.0.0.1/db', 'sqlite:./data/c.db', 'file:./c.db', './data/c.db', '/var/lib/c.db', 'C:\\data\\c.db'])('DATABASE_URL %s is accepted', (url) => {
    expect(loadConfig({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
  });

  test('a password in the query string is masked', () => {
    const shown = redactDatabaseUrl('postgres://app@127.0.0.1:5432/skills?password=s3cret-pw&sslmode=require&sslpassword=k3y-pw');
    expect(shown).not.toContain('s3cret-pw');
    expect(shown).not.toContain('k3y-pw');
    expect(shown).toContain('sslmode=require');
    expect(redactDatabaseUrl('postgres://app:s3cret-pw@127.0.0.1/skills')).not.toContain('s3cret-pw');
  });

  test('serve reports every bad setting in one run', () => {
    const lines = configLines(() => loadServeConfig({ PORT: 'abc', LOG_LEVEL: 'loud', PROFICIENCY_BANDS: 'expert:2', LMS_ADAPTER: 'blackboard', CMS_API_TOKEN: 'token-without-url' }));
    const keys = lines.map((line) => /^[A-Z_]+/.exec(line)?.[0]);
    expect(keys).toEqual(['PORT', 'LOG_LEVEL', 'WEBHOOK_SECRETS', 'CMS_URL', 'PROFICIENCY_BANDS', 'LMS_ADAPTER']);
    expect(lines.join('\n')).not.toContain('token-without-url');
  });

  test('missing Moodle settings are named, not printed as undefined', () => {
    const lines = configLines(() => loadServeConfig({ WEBHOOK_SECRETS: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', LMS_ADAPTER: 'moodle', MOODLE_CHUNK_SIZE: '0' }));
    expect(lines).toEqual([
      expect.stringMatching(/^MOODLE_URL: missing; set the Moodle site root/),
      expect.stringMatching(/^MOODLE_TOKEN: missing; set the web service token/),
      expect.stringMatching(/^MOODLE_SCALE_ID: missing; set the id of an existing scale/),
      expect.stringMatching(/^MOODLE_SCALE_MAPPING: missing; set it, for example/),
      'MOODLE_CHUNK_SIZE="0": must be an integer from 1 to 1000',
    ]);
    expect(lines.join('\n')).not.toMatch(/undefined|NaN|hidden/);
  });
});
