/**
 * Iterates `source`, stopping with `makeError()` as soon as `signal` aborts, even while a `next()` is still
 * pending (stdin can stall indefinitely, and an interrupted put must still clean up its temporary file).
 * On abort a Node stream source is destroyed; any other iterator is asked to `return()` without waiting.
 *
 * @example
 * for await (const chunk of abortableIterable(process.stdin, signal, () => new DocketError('ERR_X_ABORTED', '…'))) {}
 */
export async function* abortableIterable<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal | undefined,
  makeError: (reason: unknown) => Error,
): AsyncGenerator<T, void, undefined> {
  if (signal === undefined) {
    yield* source;
    return;
  }
  if (signal.aborted) throw makeError(signal.reason);
  const iterator = source[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(makeError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // The race below observes the rejection; this keeps an abort after completion from being "unhandled".
  aborted.catch(() => undefined);
  let finished = false;
  try {
    for (;;) {
      const step = await Promise.race([iterator.next(), aborted]);
      if (step.done === true) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    if (!finished) stopSource(source, iterator);
  }
}

function stopSource<T>(source: AsyncIterable<T>, iterator: AsyncIterator<T>): void {
  const destroy = (source as { destroy?: unknown }).destroy;
  if (typeof destroy === 'function') {
    destroy.call(source);
    return;
  }
  // Not awaited: an async generator queues return() behind a pending next(), which may never settle.
  iterator.return?.().catch(() => undefined);
}
