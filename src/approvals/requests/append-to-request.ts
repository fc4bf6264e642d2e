import { isDocketError } from '../../errors/index.js';
import { type AppendedEntry, LedgerErrorCode, type LedgerRecord } from '../../ledger/index.js';
import { type ApprovalsContext, nowOf } from './context.js';
import { type ApprovalRequest, foldRequest } from './fold-request.js';
import { readRequestHistory } from './history.js';

// Contention is per request (a handful of reviewers at once), so a few jittered retries always get through.
const MAX_ATTEMPTS = 10;

/** A record to add to a request's history; `prev`, the `request` key and the conditional append are added here. */
export type RequestRecordDraft = Omit<LedgerRecord, 'chainTo'>;

/**
 * Appends one entry to a request's history: reads and folds the history, lets `build` check the request's state
 * and produce the record (or throw a refusal), then appends it with `prev` naming the current head and
 * `expectHead` on the `request` key, so that concurrent writers cannot fork the history. When another writer got
 * there first (ERR_LEDGER_CONFLICT), the history is read again and `build` re-checks against the new state.
 */
export async function appendToRequest(
  ctx: ApprovalsContext,
  requestId: string,
  build: (request: ApprovalRequest) => RequestRecordDraft | Promise<RequestRecordDraft>,
): Promise<AppendedEntry> {
  for (let attempt = 1; ; attempt++) {
    const history = await readRequestHistory(ctx.ledger, requestId);
    const draft = await build(foldRequest(history, nowOf(ctx)));
    const record: LedgerRecord = {
      type: draft.type,
      subject: draft.subject,
      predicate: { ...draft.predicate, prev: { index: history.head.index, leafHash: history.head.leafHash } },
      keys: [{ key: 'request', value: requestId }, ...(draft.keys ?? [])],
    };
    try {
      const [entry] = await ctx.ledger.append([record], {
        expectHead: { key: 'request', value: requestId, index: history.head.index },
      });
      return entry as AppendedEntry;
    } catch (err) {
      if (!isDocketError(err, LedgerErrorCode.Conflict) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
