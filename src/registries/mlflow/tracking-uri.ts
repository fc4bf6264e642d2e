import { DocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';

/** An MLflow tracking server's base URL, normalised: http(s), no credentials, query or fragment, no trailing '/'. */
export interface TrackingUri {
  readonly url: URL;
  /** The normalised text, as recorded in the registry id. */
  readonly text: string;
  /** The URL's path without a trailing '/': '' for a server at the root, '/mlflow' behind a path prefix. */
  readonly basePath: string;
}

/**
 * Parses the tracking URI docket talks to. Credentials in the URI are refused, not stripped: the URI becomes part of
 * the registry id written into signed promotion events, and a secret must never reach the ledger (pass
 * `authorization` to the registry instead).
 *
 * @throws DocketError `ERR_REGISTRY_INVALID_ARGUMENT`.
 * @example
 * parseTrackingUri('http://127.0.0.1:5000/').text; // 'http://127.0.0.1:5000'
 */
export function parseTrackingUri(input: unknown): TrackingUri {
  if (typeof input !== 'string' || input.length === 0 || input.length > 2048) {
    throw invalid('the MLflow tracking URI must be a non-empty string of at most 2048 characters');
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch (cause) {
    throw invalid(`the MLflow tracking URI ${JSON.stringify(input)} is not a URL`, cause);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(`the MLflow tracking URI must be http or https, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid(
      'the MLflow tracking URI must not carry credentials (they would be recorded in the ledger)',
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw invalid('the MLflow tracking URI must not have a query or fragment');
  }
  const basePath = url.pathname.replace(/\/+$/, '');
  const text = `${url.origin}${basePath}`;
  return { url: new URL(text), text, basePath };
}

/** The registry id of an MLflow tracking server: `mlflow:<normalised tracking uri>`. */
export function mlflowRegistryId(uri: TrackingUri): string {
  return `mlflow:${uri.text}`;
}

function invalid(message: string, cause?: unknown): DocketError {
  return new DocketError(RegistryErrorCode.InvalidArgument, message, cause === undefined ? {} : { cause });
}
