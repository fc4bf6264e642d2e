import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';
import { throwIfAborted } from '../fetch-directory.js';
import { type Deadline, startDeadline } from './deadline.js';
import { mapErrorStatus } from './status.js';
import type { TrackingUri } from './tracking-uri.js';

/** Limits and credentials of the HTTP client. */
export interface MlflowHttpOptions {
  /** Per request: no answer, or for a download no byte, within this many ms is `ERR_REGISTRY_UNREACHABLE`. */
  readonly timeoutMs: number;
  /** A JSON response larger than this is `ERR_REGISTRY_RESPONSE_INVALID`. */
  readonly maxResponseBytes: number;
  /** Sent as the Authorization header (`Bearer …`, `Basic …`); never logged, never part of the registry id. */
  readonly authorization?: string;
}

/** What a JSON call sends. */
export interface JsonRequest {
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** The bytes of an error body kept for the message: enough for MLflow's `{error_code, message}`. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The one way the MLflow adapter talks HTTP: `fetch` with a deadline per request, no redirects followed (a
 * redirect could send docket, and its credentials, anywhere), response sizes bounded while reading, and every
 * failure turned into a coded error. Whatever the server says is hostile until a parser in `responses.ts` has
 * narrowed it.
 */
export class MlflowHttp {
  private readonly base: TrackingUri;
  private readonly options: MlflowHttpOptions;

  constructor(base: TrackingUri, options: MlflowHttpOptions) {
    this.base = base;
    this.options = options;
  }

  /**
   * Calls `/api/2.0/<path>` and returns the parsed JSON object.
   *
   * @throws DocketError `ERR_REGISTRY_UNREACHABLE`, `ERR_REGISTRY_NOT_FOUND`, `ERR_REGISTRY_REFUSED`,
   *   `ERR_REGISTRY_ALREADY_EXISTS`, `ERR_REGISTRY_RESPONSE_INVALID`, `ERR_REGISTRY_ABORTED`.
   */
  async json(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    request: JsonRequest,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    const url = this.url(path, request.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const deadline = startDeadline(this.options.timeoutMs, signal);
    try {
      const response = await this.send(url, method, headers, request.body, deadline);
      if (response.status < 200 || response.status > 299) {
        const body = await readBounded(response, MAX_ERROR_BODY_BYTES, url, false);
        throw mapErrorStatus(response.status, body, method, url);
      }
      const bytes = await readBounded(response, this.options.maxResponseBytes, url, true);
      return parseJsonObject(bytes, url);
    } catch (err) {
      throw deadline.translate(err, url);
    } finally {
      deadline.stop();
    }
  }

  /**
   * Streams `GET <path>` into a new file (`wx`: never over an existing one). `onBytes` sees every chunk before it is
   * written and may throw to stop the download. The deadline is an idle timeout: it restarts with every chunk.
   *
   * @throws DocketError as {@link MlflowHttp.json}.
   */
  async download(
    path: string,
    destination: string,
    onBytes: (count: number) => void,
    signal: AbortSignal | undefined,
  ): Promise<number> {
    const url = this.url(path, undefined);
    const deadline = startDeadline(this.options.timeoutMs, signal);
    try {
      const response = await this.send(url, 'GET', { accept: '*/*' }, undefined, deadline);
      if (response.status !== 200) {
        const body = await readBounded(response, MAX_ERROR_BODY_BYTES, url, false);
        throw mapErrorStatus(response.status, body, 'GET', url);
      }
      if (response.body === null) return 0;
      let written = 0;
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          try {
            deadline.restart();
            written += chunk.byteLength;
            onBytes(chunk.byteLength);
            done(null, chunk);
          } catch (err) {
            done(err as Error);
          }
        },
      });
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      await pipeline(body, count, createWriteStream(destination, { flags: 'wx' }));
      return written;
    } catch (err) {
      throw deadline.translate(err, url);
    } finally {
      deadline.stop();
    }
  }

  private url(path: string, query: Readonly<Record<string, string>> | undefined): URL {
    const url = new URL(`${this.base.basePath}/api/2.0/${path}`, this.base.url.origin);
    if (query !== undefined) url.search = new URLSearchParams(query).toString();
    return url;
  }

  private async send(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: unknown,
    deadline: Deadline,
  ): Promise<Response> {
    throwIfAborted(deadline.callerSignal);
    if (this.options.authorization !== undefined) headers.authorization = this.options.authorization;
    const response = await fetch(url, {
      method,
      headers,
      redirect: 'manual',
      signal: deadline.signal,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status >= 300 && response.status <= 399) {
      await response.body?.cancel().catch(() => undefined);
      throw new DocketError(
        RegistryErrorCode.ResponseInvalid,
        `${url.origin} answered ${method} ${url.pathname} with a redirect (${response.status}); docket follows none`,
        { details: { status: response.status, url: url.href.slice(0, 512) } },
      );
    }
    return response;
  }
}

/**
 * Reads a body up to `limit` bytes, within the request's deadline as a whole (a body dripping in byte by byte is
 * still cut off at the deadline). Past the limit: `ERR_REGISTRY_RESPONSE_INVALID` when `strict`, else the body is
 * cut (error bodies are only read for their message).
 */
async function readBounded(
  response: Response,
  limit: number,
  url: URL,
  strict: boolean,
): Promise<Uint8Array> {
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (strict && Number.isFinite(announced) && announced > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(url, limit);
  }
  if (response.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > limit) {
        if (strict) throw tooLarge(url, limit);
        chunks.push(value.subarray(0, limit - size));
        size = limit;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks, size);
}

function parseJsonObject(bytes: Uint8Array, url: URL): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(strictUtf8.decode(bytes));
  } catch (cause) {
    throw new DocketError(
      RegistryErrorCode.ResponseInvalid,
      `${url.origin}${url.pathname} did not answer JSON`,
      {
        cause,
        details: { url: url.href.slice(0, 512) },
      },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DocketError(
      RegistryErrorCode.ResponseInvalid,
      `${url.origin}${url.pathname} did not answer a JSON object`,
      {
        details: { url: url.href.slice(0, 512) },
      },
    );
  }
  return parsed as Record<string, unknown>;
}

function tooLarge(url: URL, limit: number): DocketError {
  return new DocketError(
    RegistryErrorCode.ResponseInvalid,
    `${url.origin}${url.pathname} answered more than ${limit} bytes`,
    { details: { url: url.href.slice(0, 512), limit } },
  );
}
