import { createHmac, timingSafeEqual } from 'node:crypto';
import { DocketError } from '../errors/index.js';
import { PromotionErrorCode } from './errors.js';

/** The headers MLflow (3.3+) sends with a webhook delivery (mlflow/webhooks/constants.py). */
export const MLFLOW_WEBHOOK_HEADERS = Object.freeze({
  signature: 'x-mlflow-signature',
  deliveryId: 'x-mlflow-delivery-id',
  timestamp: 'x-mlflow-timestamp',
});

/** How far a delivery's timestamp may be from now, by default: five minutes, as Standard Webhooks suggests. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const SIGNATURE_VERSION = 'v1';
// A base64 HMAC-SHA256 is 32 bytes: 43 characters and one '='.
const SIGNATURE_BASE64 = /^[A-Za-z0-9+/]{43}=$/;
const UNIX_SECONDS = /^[0-9]{1,12}$/;
const MAX_DELIVERY_ID_LENGTH = 256;

/** A webhook delivery as received: the raw body (the signature covers its exact bytes) and the request headers. */
export interface MlflowWebhookDelivery {
  readonly payload: string | Uint8Array;
  /** Header names in any case (Node lower-cases them); a repeated header is refused. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** Options of {@link verifyMlflowWebhook}. */
export interface VerifyMlflowWebhookOptions {
  /** The webhook's secret; several while rotating it (any one may have signed). */
  readonly secret: string | readonly string[];
  readonly toleranceSeconds?: number;
  readonly now?: Date;
}

/**
 * Verifies an MLflow webhook delivery: `X-MLflow-Signature: v1,<base64 HMAC-SHA256 of
 * "{delivery_id}.{timestamp}.{payload}">` with the secret (MLflow's `_generate_hmac_signature`), compared in
 * constant time, and `X-MLflow-Timestamp` (Unix seconds) within the tolerance of now, so an old delivery cannot be
 * replayed. A delivery is a trigger for reconcile, never evidence: MLflow sends it best-effort, after the change.
 *
 * @throws DocketError ERR_PROMOTION_WEBHOOK_SIGNATURE_INVALID, ERR_PROMOTION_WEBHOOK_TIMESTAMP_INVALID
 * @example
 * const { deliveryId } = verifyMlflowWebhook({ payload: rawBody, headers: req.headers }, { secret });
 */
export function verifyMlflowWebhook(
  delivery: MlflowWebhookDelivery,
  options: VerifyMlflowWebhookOptions,
): { deliveryId: string; timestamp: number } {
  const signatureHeader = header(delivery.headers, MLFLOW_WEBHOOK_HEADERS.signature);
  const deliveryId = header(delivery.headers, MLFLOW_WEBHOOK_HEADERS.deliveryId);
  const timestampText = header(delivery.headers, MLFLOW_WEBHOOK_HEADERS.timestamp);
  if (timestampText === undefined || !UNIX_SECONDS.test(timestampText)) {
    throw timestampInvalid('X-MLflow-Timestamp is missing or not Unix seconds');
  }
  const timestamp = Number(timestampText);
  const tolerance = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > tolerance) {
    throw timestampInvalid(`X-MLflow-Timestamp ${timestamp} is more than ${tolerance} s from now (${now})`, {
      timestamp,
      now,
    });
  }
  if (deliveryId === undefined || deliveryId.length === 0 || deliveryId.length > MAX_DELIVERY_ID_LENGTH) {
    throw signatureInvalid('X-MLflow-Delivery-Id is missing or too long');
  }
  if (signatureHeader === undefined) throw signatureInvalid('X-MLflow-Signature is missing');
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw signatureInvalid('no webhook secret is configured');
  }
  const payload =
    typeof delivery.payload === 'string' ? Buffer.from(delivery.payload, 'utf8') : delivery.payload;
  const expected = secrets.map((secret) =>
    createHmac('sha256', Buffer.from(secret, 'utf8'))
      .update(Buffer.from(`${deliveryId}.${timestampText}.`, 'utf8'))
      .update(payload)
      .digest(),
  );
  // Space-separated signatures are accepted as Standard Webhooks allows (one per secret while rotating).
  let matched = false;
  for (const candidate of signatureHeader.split(' ')) {
    const comma = candidate.indexOf(',');
    const version = candidate.slice(0, comma);
    const encoded = candidate.slice(comma + 1);
    if (comma < 0 || version !== SIGNATURE_VERSION || !SIGNATURE_BASE64.test(encoded)) continue;
    const given = Buffer.from(encoded, 'base64');
    // Every comparison runs (no early exit), each over 32 bytes in constant time.
    for (const mac of expected) if (timingSafeEqual(given, mac)) matched = true;
  }
  if (!matched)
    throw signatureInvalid('X-MLflow-Signature is not a v1 HMAC of this delivery with the secret');
  return { deliveryId, timestamp };
}

/** What a verified MLflow webhook says changed, enough to scope a reconcile to one model. */
export interface MlflowWebhookEvent {
  readonly entity: string;
  readonly action: string;
  /** The registered model it is about, when the payload names one (`data.name`). */
  readonly model?: string;
}

/**
 * Reads the entity, action and model of a (verified) webhook payload, e.g. `model_version_alias` / `created` /
 * `credit`. Anything else in it is ignored: it is a trigger, not evidence.
 *
 * @throws DocketError ERR_PROMOTION_INVALID when the payload is not the JSON object MLflow sends
 */
export function parseMlflowWebhookEvent(payload: string | Uint8Array): MlflowWebhookEvent {
  const invalid = (why: string, cause?: unknown): never => {
    throw new DocketError(PromotionErrorCode.Invalid, `MLflow webhook payload: ${why}`, { cause });
  };
  let data: unknown;
  try {
    data = JSON.parse(
      typeof payload === 'string' ? payload : new TextDecoder('utf-8', { fatal: true }).decode(payload),
    );
  } catch (cause) {
    invalid('not UTF-8 JSON', cause);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return invalid('not an object');
  const o = data as Record<string, unknown>;
  if (typeof o.entity !== 'string' || typeof o.action !== 'string') return invalid('no entity or action');
  const inner = o.data;
  const name =
    typeof inner === 'object' && inner !== null && typeof (inner as Record<string, unknown>).name === 'string'
      ? ((inner as Record<string, unknown>).name as string)
      : undefined;
  return { entity: o.entity, action: o.action, ...(name === undefined ? {} : { model: name }) };
}

function header(headers: MlflowWebhookDelivery['headers'], name: string): string | undefined {
  let found: string | undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    const values = typeof value === 'string' ? [value] : value;
    if (found !== undefined || values.length !== 1) throw signatureInvalid(`header ${name} is repeated`);
    found = values[0];
  }
  return found;
}

function signatureInvalid(why: string): DocketError {
  return new DocketError(PromotionErrorCode.WebhookSignatureInvalid, `MLflow webhook refused: ${why}`);
}

function timestampInvalid(why: string, details: Record<string, unknown> = {}): DocketError {
  return new DocketError(PromotionErrorCode.WebhookTimestampInvalid, `MLflow webhook refused: ${why}`, {
    details,
  });
}
