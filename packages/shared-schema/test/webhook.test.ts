import { Webhook } from 'standardwebhooks';

import {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  WebhookVerificationError,
} from '../src';
import vectors from './fixtures/signature-vectors.json';

interface VectorCase {
  name: string;
  secret: string;
  id: string;
  timestamp: string;
  body: string;
  signature: string;
  now: string;
  valid: boolean;
  reason?: string;
}

const EXPECTED_CODE_BY_REASON: Record<string, string> = {
  'signature mismatch': 'SIGNATURE_INVALID',
  'timestamp outside tolerance': 'TIMESTAMP_OUT_OF_TOLERANCE',
  'no v1 signature': 'SIGNATURE_INVALID',
};

function headersOf(id: string, timestamp: string, signature: string) {
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
    [WEBHOOK_SIGNATURE_HEADER]: signature,
  };
}

function verificationCode(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.code;
    throw error;
  }
}

describe('signature vectors', () => {
  const cases = (vectors as { cases: VectorCase[] }).cases;

  test('file has valid and invalid cases', () => {
    expect(cases.filter((c) => c.valid).length).toBeGreaterThanOrEqual(3);
    expect(cases.filter((c) => !c.valid).length).toBeGreaterThanOrEqual(5);
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, vector) => {
    const verify = () =>
      verifyWebhook({
        secrets: [vector.secret],
        headers: headersOf(vector.id, vector.timestamp, vector.signature),
        body: Buffer.from(vector.body, 'utf8'),
        now: Number(vector.now),
        toleranceSeconds: (vectors as { tolerance_seconds: number }).tolerance_seconds,
      });

    if (vector.valid) {
      expect(verificationCode(verify)).toBeUndefined();
    } else {
      const expectedCode = EXPECTED_CODE_BY_REASON[vector.reason ?? ''];
      expect(expectedCode).toBeDefined();
      expect(verificationCode(verify)).toBe(expectedCode);
    }
  });

  test.each(cases.filter((c) => c.valid && !c.signature.includes(' ')).map((c) => [c.name, c] as const))(
    'signWebhook reproduces %s',
    (_name, vector) => {
      expect(signWebhook({ secrets: vector.secret, id: vector.id, timestamp: vector.timestamp, body: vector.body })).toBe(
        vector.signature,
      );
    },
  );
});

describe('verifyWebhook', () => {
  const secret = generateWebhookSecret();
  const id = 'msg_2b7c';
  const now = 1_785_585_600;
  const body = Buffer.from('{"event_id":"e1","title":"Gestion de projet ✓ 日本語 🚀"}', 'utf8');
  const signature = signWebhook({ secrets: secret, id, timestamp: now, body });
  const valid = () => headersOf(id, String(now), signature);

  test('accepts the untouched message', () => {
    expect(verificationCode(() => verifyWebhook({ secrets: secret, headers: valid(), body, now }))).toBeUndefined();
  });

  test.each([WEBHOOK_ID_HEADER, WEBHOOK_TIMESTAMP_HEADER, WEBHOOK_SIGNATURE_HEADER])('missing %s', (header) => {
    const headers: Record<string, string | undefined> = valid();
    delete headers[header];
    expect(verificationCode(() => verifyWebhook({ secrets: secret, headers, body, now }))).toBe('SIGNATURE_MISSING');
  });

  test.each([WEBHOOK_ID_HEADER, WEBHOOK_TIMESTAMP_HEADER, WEBHOOK_SIGNATURE_HEADER])('empty %s', (header) => {
    const headers: Record<string, string> = { ...valid(), [header]: '  ' };
    expect(verificationCode(() => verifyWebhook({ secrets: secret, headers, body, now }))).toBe('SIGNATURE_MISSING');
  });

  test.each(['12.5', 'abc', '1e9', '-5'])('non-integer timestamp %s', (timestamp) => {
    const headers = { ...valid(), [WEBHOOK_TIMESTAMP_HEADER]: timestamp };
    expect(verificationCode(() => verifyWebhook({ secrets: secret, headers, body, now }))).toBe(
      'TIMESTAMP_OUT_OF_TOLERANCE',
    );
  });

  test.each([
    ['300 s old', now + 300, undefined],
    ['300 s ahead', now - 300, undefined],
    ['301 s old', now + 301, 'TIMESTAMP_OUT_OF_TOLERANCE'],
    ['301 s ahead', now - 301, 'TIMESTAMP_OUT_OF_TOLERANCE'],
  ])('timestamp %s', (_label, clock, expected) => {
    expect(verificationCode(() => verifyWebhook({ secrets: secret, headers: valid(), body, now: clock }))).toBe(expected);
  });

  test('one changed body byte fails', () => {
    const tampered = Buffer.from(body);
    tampered[5] = tampered[5]! ^ 1;
    expect(verificationCode(() => verifyWebhook({ secrets: secret, headers: valid(), body: tampered, now }))).toBe(
      'SIGNATURE_INVALID',
    );
  });

  test('string body verifies as its UTF-8 bytes', () => {
    expect(
      verificationCode(() => verifyWebhook({ secrets: secret, headers: valid(), body: body.toString('utf8'), now })),
    ).toBeUndefined();
  });

  test('accepts a Date clock and a Headers object', () => {
    const headers = new Headers(valid());
    expect(
      verificationCode(() => verifyWebhook({ secrets: secret, headers, body, now: new Date(now * 1000) })),
    ).toBeUndefined();
  });

  test('header names match case-insensitively', () => {
    const headers = { 'Webhook-Id': id, 'WEBHOOK-TIMESTAMP': String(now), 'Webhook-Signature': signature };
    expect(verificationCode(() => verifyWebhook({ secrets: secret, headers, body, now }))).toBeUndefined();
  });

  test('ignores unknown signature versions next to v1', () => {
    const headers = { ...valid(), [WEBHOOK_SIGNATURE_HEADER]: `v2,AAAA ${signature} v1a,zzz` };
    expect(verificationCode(() => verifyWebhook({ secrets: secret, headers, body, now }))).toBeUndefined();
  });

  test('truncated signature fails', () => {
    const headers = { ...valid(), [WEBHOOK_SIGNATURE_HEADER]: signature.slice(0, 20) };
    expect(verificationCode(() => verifyWebhook({ secrets: secret, headers, body, now }))).toBe('SIGNATURE_INVALID');
  });

  test('any configured secret may match', () => {
    const other = generateWebhookSecret();
    expect(
      verificationCode(() => verifyWebhook({ secrets: [other, secret], headers: valid(), body, now })),
    ).toBeUndefined();
    expect(verificationCode(() => verifyWebhook({ secrets: [other], headers: valid(), body, now }))).toBe(
      'SIGNATURE_INVALID',
    );
  });

  test('error message never contains the secret', () => {
    try {
      verifyWebhook({ secrets: secret, headers: { ...valid(), [WEBHOOK_SIGNATURE_HEADER]: 'v1,AAAA' }, body, now });
      throw new Error('expected a verification error');
    } catch (error) {
      expect((error as Error).message).not.toContain(secret.slice(6));
    }
  });

  test('rejects an empty secret list', () => {
    expect(() => verifyWebhook({ secrets: [], headers: valid(), body, now })).toThrow(TypeError);
  });
});

describe('signWebhook', () => {
  test('one signature per secret, space-separated', () => {
    const secrets = [generateWebhookSecret(), generateWebhookSecret()];
    const header = signWebhook({ secrets, id: 'm', timestamp: 1, body: '{}' });
    const parts = header.split(' ');
    expect(parts).toHaveLength(2);
    expect(parts.every((part) => /^v1,[A-Za-z0-9+/]{43}=$/.test(part))).toBe(true);
  });

  test('generated secrets carry 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret.startsWith('whsec_')).toBe(true);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});

describe('interop with the standardwebhooks package', () => {
  const body = '{"event_id":"0b6f3c1e-1c2d-4c55-9d53-2f6f5a1e7c11","title":"Économie – 経済 ✓"}';
  const id = 'msg_interop_1';
  const sentAt = new Date();
  const seconds = Math.floor(sentAt.getTime() / 1000);

  test('their signature verifies with ours', () => {
    const secret = generateWebhookSecret();
    const signature = new Webhook(secret).sign(id, sentAt, body);
    expect(
      verificationCode(() => verifyWebhook({ secrets: secret, headers: headersOf(id, String(seconds), signature), body })),
    ).toBeUndefined();
  });

  test('our signature verifies with theirs', () => {
    const secret = generateWebhookSecret();
    const signature = signWebhook({ secrets: secret, id, timestamp: seconds, body });
    expect(() => new Webhook(secret).verify(body, headersOf(id, String(seconds), signature))).not.toThrow();
  });

  test('rotation: both secrets verify on both sides', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const ours = signWebhook({ secrets: [oldSecret, newSecret], id, timestamp: seconds, body });
    const headers = headersOf(id, String(seconds), ours);

    expect(() => new Webhook(oldSecret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newSecret).verify(body, headers)).not.toThrow();

    const theirs = `${new Webhook(oldSecret).sign(id, sentAt, body)} ${new Webhook(newSecret).sign(id, sentAt, body)}`;
    const theirHeaders = headersOf(id, String(seconds), theirs);
    expect(verificationCode(() => verifyWebhook({ secrets: [newSecret], headers: theirHeaders, body }))).toBeUndefined();
    expect(verificationCode(() => verifyWebhook({ secrets: [oldSecret], headers: theirHeaders, body }))).toBeUndefined();
    expect(
      verificationCode(() => verifyWebhook({ secrets: [generateWebhookSecret()], headers: theirHeaders, body })),
    ).toBe('SIGNATURE_INVALID');
  });
});
