import { DocketError, isDocketError } from '../errors/index.js';
import { ServerErrorCode } from './errors.js';
import { statusFor } from './http-status.js';

/** The JSON body of every error answer: the coded error, as the CLI's --json prints it. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details: Record<string, unknown>;
  };
}

/**
 * Turns anything thrown while answering into a coded error: DocketErrors as they are, Fastify's own HTTP errors
 * (body too large, media type, unparsable JSON) into ERR_SERVER_* codes, anything else into ERR_SERVER_INTERNAL
 * whose message says nothing about the cause (the cause is logged, not sent).
 */
export function codedError(err: unknown): DocketError {
  if (isDocketError(err)) return err;
  const fastifyError = err as { code?: unknown; statusCode?: unknown; message?: unknown };
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  const code = typeof fastifyError.code === 'string' ? fastifyError.code : '';
  if (status === 413 || code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new DocketError(
      ServerErrorCode.BodyTooLarge,
      'the request body is larger than this route accepts',
      {
        cause: err,
      },
    );
  }
  if (status === 415 || code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new DocketError(
      ServerErrorCode.UnsupportedMediaType,
      'this route does not accept that Content-Type',
      {
        cause: err,
      },
    );
  }
  if (status >= 400 && status < 500) {
    const message =
      typeof fastifyError.message === 'string' ? fastifyError.message.slice(0, 200) : 'bad request';
    return new DocketError(ServerErrorCode.Invalid, message, { cause: err });
  }
  return new DocketError(ServerErrorCode.Internal, 'unexpected server failure (logged on the server)', {
    cause: err,
  });
}

/** Status and body of the answer for a coded error. */
export function errorReply(err: DocketError): { status: number; body: ErrorBody } {
  return {
    status: statusFor(err),
    body: { error: { code: err.code, message: err.message, details: { ...err.details } } },
  };
}
