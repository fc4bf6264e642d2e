import { describe, expect, it } from 'vitest';
import { PromotionErrorCode } from './errors.js';
import { parseMlflowWebhookEvent, verifyMlflowWebhook } from './mlflow-webhook.js';

const code = (c: string) => expect.objectContaining({ code: c });

// Known answer from MLflow 3.17.2's own signer, mlflow.webhooks.delivery._generate_hmac_signature(secret,
// delivery_id, timestamp, payload), with the payload as its sender serialises it (json.dumps).
const SECRET = 'whsec-docket-test';
const DELIVERY_ID = '6d1f1c3e-9a53-4c8e-8d7e-2b1f0a9c4e11';
const TIMESTAMP = '1767323045';
const PAYLOAD =
  '{"entity": "model_version_alias", "action": "created", "timestamp": "2026-01-02T03:04:05.000000+00:00", "data": {"name": "credit", "alias": "champion", "version": "1"}}';
const SIGNATURE = 'v1,Ii7ShNKt3Y6IZNy9/U+LafJ2G8SLcdXY3hHXSbxYlJI=';
const NOW = new Date(Number(TIMESTAMP) * 1000 + 30_000);

const headers = (overrides: Record<string, string | string[] | undefined> = {}) => ({
  'x-mlflow-signature': SIGNATURE,
  'x-mlflow-delivery-id': DELIVERY_ID,
  'x-mlflow-timestamp': TIMESTAMP,
  'content-type': 'application/json',
  ...overrides,
});

describe('verifyMlflowWebhook', () => {
  it("accepts MLflow's own signature, from a string or the raw bytes, with headers in any case", () => {
    expect(
      verifyMlflowWebhook({ payload: PAYLOAD, headers: headers() }, { secret: SECRET, now: NOW }),
    ).toEqual({
      deliveryId: DELIVERY_ID,
      timestamp: Number(TIMESTAMP),
    });
    const bytes = new TextEncoder().encode(PAYLOAD);
    const mixedCase = {
      'X-MLflow-Signature': SIGNATURE,
      'X-MLflow-Delivery-Id': DELIVERY_ID,
      'X-MLflow-Timestamp': TIMESTAMP,
    };
    expect(() =>
      verifyMlflowWebhook({ payload: bytes, headers: mixedCase }, { secret: SECRET, now: NOW }),
    ).not.toThrow();
    // While rotating secrets, either may have signed; several signatures may be sent.
    expect(() =>
      verifyMlflowWebhook(
        { payload: PAYLOAD, headers: headers() },
        { secret: ['new-secret', SECRET], now: NOW },
      ),
    ).not.toThrow();
    const two = headers({ 'x-mlflow-signature': `v1,${'A'.repeat(43)}= ${SIGNATURE}` });
    expect(() =>
      verifyMlflowWebhook({ payload: PAYLOAD, headers: two }, { secret: SECRET, now: NOW }),
    ).not.toThrow();
  });

  it.each([
    ['another secret', { secret: 'whsec-other' }, {}, PAYLOAD],
    ['a changed payload', { secret: SECRET }, {}, PAYLOAD.replace('"1"', '"2"')],
    ['another delivery id', { secret: SECRET }, { 'x-mlflow-delivery-id': 'replayed' }, PAYLOAD],
    ['no signature', { secret: SECRET }, { 'x-mlflow-signature': undefined }, PAYLOAD],
    ['a v2 signature', { secret: SECRET }, { 'x-mlflow-signature': SIGNATURE.replace('v1', 'v2') }, PAYLOAD],
    ['a truncated signature', { secret: SECRET }, { 'x-mlflow-signature': SIGNATURE.slice(0, -4) }, PAYLOAD],
    ['a hex signature', { secret: SECRET }, { 'x-mlflow-signature': `v1,${'ab'.repeat(32)}` }, PAYLOAD],
    [
      'a repeated signature header',
      { secret: SECRET },
      { 'x-mlflow-signature': [SIGNATURE, SIGNATURE] },
      PAYLOAD,
    ],
    ['no delivery id', { secret: SECRET }, { 'x-mlflow-delivery-id': undefined }, PAYLOAD],
    ['no secret configured', { secret: [] }, {}, PAYLOAD],
  ])('refuses %s', (_what, options, overrides, payload) => {
    expect(() =>
      verifyMlflowWebhook({ payload, headers: headers(overrides) }, { ...options, now: NOW }),
    ).toThrow(code(PromotionErrorCode.WebhookSignatureInvalid));
  });

  it('refuses a timestamp outside the tolerance (a replay) or not Unix seconds, before checking the signature', () => {
    const late = new Date(Number(TIMESTAMP) * 1000 + 301_000);
    expect(() =>
      verifyMlflowWebhook({ payload: PAYLOAD, headers: headers() }, { secret: SECRET, now: late }),
    ).toThrow(code(PromotionErrorCode.WebhookTimestampInvalid));
    const early = new Date(Number(TIMESTAMP) * 1000 - 301_000);
    expect(() =>
      verifyMlflowWebhook({ payload: PAYLOAD, headers: headers() }, { secret: SECRET, now: early }),
    ).toThrow(code(PromotionErrorCode.WebhookTimestampInvalid));
    expect(() =>
      verifyMlflowWebhook(
        { payload: PAYLOAD, headers: headers() },
        { secret: SECRET, now: late, toleranceSeconds: 600 },
      ),
    ).not.toThrow();
    for (const bad of [undefined, '', '1767323045.5', '-1', '0x69']) {
      expect(() =>
        verifyMlflowWebhook(
          { payload: PAYLOAD, headers: headers({ 'x-mlflow-timestamp': bad }) },
          { secret: SECRET, now: NOW },
        ),
      ).toThrow(code(PromotionErrorCode.WebhookTimestampInvalid));
    }
  });
});

describe('parseMlflowWebhookEvent', () => {
  it('reads the entity, action and model, and refuses what MLflow does not send', () => {
    expect(parseMlflowWebhookEvent(PAYLOAD)).toEqual({
      entity: 'model_version_alias',
      action: 'created',
      model: 'credit',
    });
    expect(parseMlflowWebhookEvent('{"entity":"registered_model","action":"created","data":{}}')).toEqual({
      entity: 'registered_model',
      action: 'created',
    });
    for (const bad of ['', '[]', '{"entity":1}', new Uint8Array([0xff, 0xfe])]) {
      expect(() => parseMlflowWebhookEvent(bad)).toThrow(code(PromotionErrorCode.Invalid));
    }
  });
});
