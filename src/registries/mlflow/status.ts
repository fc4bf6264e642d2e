import { DocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';
import { printable } from '../text.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Maps an HTTP error answer to a coded error. MLflow's error body is `{"error_code": "...", "message": "..."}`
 * (mlflow/exceptions.py); its codes decide between not-found and refused, the status between down and refused.
 * A 404 without an MLflow error code is an unknown endpoint (not an MLflow server, or one too old for aliases):
 * refused, not "not found", so that a wrong URL never reads as a missing model.
 */
export function mapErrorStatus(status: number, body: Uint8Array, method: string, url: URL): DocketError {
  const { errorCode, message } = readErrorBody(body);
  const where = `${method} ${url.pathname}`;
  const details = {
    status,
    url: url.href.slice(0, 512),
    ...(errorCode === undefined ? {} : { mlflowErrorCode: errorCode }),
    ...(message === undefined ? {} : { mlflowMessage: message }),
  };
  const said = message === undefined ? '' : `: ${message}`;
  if (status >= 500 || status === 408 || status === 429) {
    return new DocketError(
      RegistryErrorCode.Unreachable,
      `${url.origin} answered ${status} to ${where}${said}`,
      {
        details,
      },
    );
  }
  if (errorCode === 'RESOURCE_DOES_NOT_EXIST') {
    return new DocketError(RegistryErrorCode.NotFound, `not found in the MLflow registry${said}`, {
      details,
    });
  }
  if (errorCode === 'RESOURCE_ALREADY_EXISTS') {
    return new DocketError(RegistryErrorCode.AlreadyExists, `already exists in the MLflow registry${said}`, {
      details,
    });
  }
  if (status === 404) {
    return new DocketError(
      RegistryErrorCode.Refused,
      `${url.origin} has no ${where} (is it an MLflow tracking server, version 2.3 or later?)`,
      { details },
    );
  }
  return new DocketError(
    RegistryErrorCode.Refused,
    `the MLflow registry refused ${where} (${status})${said}`,
    {
      details,
    },
  );
}

function readErrorBody(body: Uint8Array): { errorCode?: string; message?: string } {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not MLflow's JSON (a proxy's page, Flask's plain text): keep a short, printable excerpt for people.
    const excerpt = text.trim();
    return excerpt === '' ? {} : { message: printable(excerpt, 200) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  const record = parsed as Record<string, unknown>;
  const errorCode = ownString(record, 'error_code');
  const message = ownString(record, 'message') ?? ownString(record, 'detail');
  return {
    ...(errorCode !== undefined && /^[A-Z_]{1,64}$/.test(errorCode) ? { errorCode } : {}),
    ...(message === undefined ? {} : { message: printable(message) }),
  };
}

function ownString(record: Record<string, unknown>, key: string): string | undefined {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}
