import { DocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';

/** One request's deadline, combined with the caller's AbortSignal. */
export interface Deadline {
  /** Aborts when the caller aborts or the deadline passes: hand it to `fetch`. */
  readonly signal: AbortSignal;
  readonly callerSignal: AbortSignal | undefined;
  /** Starts the timer over (an idle timeout: called on every chunk received). */
  restart(): void;
  /** Clears the timer; call once the request is over. */
  stop(): void;
  /** Turns whatever a request threw into a coded error, telling a timeout from a caller's abort. */
  translate(err: unknown, url: URL): DocketError;
}

// Local file-system calls: a failure there is docket's disk, not the registry.
const LOCAL_SYSCALLS = new Set(['open', 'write', 'close', 'mkdir', 'fsync', 'rename', 'unlink']);

/**
 * Starts a deadline of `timeoutMs`. A request that is past it is `ERR_REGISTRY_UNREACHABLE` (a registry that does
 * not answer is down, as far as the gate is concerned), never a hang.
 */
export function startDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  };
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  if (callerSignal?.aborted === true) controller.abort(callerSignal.reason);
  arm();
  return {
    signal: controller.signal,
    callerSignal,
    restart: () => {
      if (!controller.signal.aborted) arm();
    },
    stop: () => {
      if (timer !== undefined) clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
    translate: (err, url) => {
      if (callerSignal?.aborted === true) {
        if (err instanceof DocketError && err.code === RegistryErrorCode.Aborted) return err;
        return new DocketError(RegistryErrorCode.Aborted, 'the registry call was aborted', { cause: err });
      }
      if (err instanceof DocketError) return err;
      const where = `${url.origin}${url.pathname}`;
      if (timedOut) {
        return new DocketError(
          RegistryErrorCode.Unreachable,
          `${where} did not answer within ${timeoutMs} ms`,
          {
            cause: err,
            details: { url: url.href.slice(0, 512), timeoutMs },
          },
        );
      }
      const syscall = (err as { syscall?: unknown } | null)?.syscall;
      const errno = (err as { code?: unknown } | null)?.code;
      if (typeof syscall === 'string' && LOCAL_SYSCALLS.has(syscall)) {
        return new DocketError(
          RegistryErrorCode.LocalIo,
          `cannot write a fetched artefact file: ${String(errno)}`,
          {
            cause: err,
            details: { errno: typeof errno === 'string' ? errno : undefined },
          },
        );
      }
      const reason = networkReason(err);
      return new DocketError(RegistryErrorCode.Unreachable, `cannot reach ${where}: ${reason}`, {
        cause: err,
        details: { url: url.href.slice(0, 512), reason },
      });
    },
  };
}

// undici wraps the socket error: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
function networkReason(err: unknown): string {
  const cause = (err as { cause?: unknown } | null)?.cause;
  const code = (cause as { code?: unknown } | null)?.code ?? (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.message : String(err);
}
