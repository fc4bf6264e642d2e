import { DocketError } from '../../errors/index.js';
import type { DecodedEntry, Ledger } from '../../ledger/index.js';
import { RequestErrorCode } from './errors.js';
import {
  RecordReader,
  readClassification,
  readDecision,
  readPrev,
  readRequest,
  readView,
  readWithdrawal,
} from './read-records.js';
import {
  type ClassificationPredicate,
  type DecisionPredicate,
  type EntryRef,
  REQUEST_RECORD,
  type RequestPredicate,
  type ViewPredicate,
  type WithdrawalPredicate,
} from './records.js';

interface EntryBase {
  readonly ref: EntryRef;
  readonly recordedAt: string;
}

/** One entry of a request's history, its predicate read and typed. */
export type RequestEntry =
  | (EntryBase & { readonly type: 'request'; readonly record: RequestPredicate })
  | (EntryBase & { readonly type: 'classification'; readonly record: ClassificationPredicate })
  | (EntryBase & { readonly type: 'view'; readonly record: ViewPredicate })
  | (EntryBase & { readonly type: 'decision'; readonly record: DecisionPredicate })
  | (EntryBase & { readonly type: 'withdrawal'; readonly record: WithdrawalPredicate })
  /** A record type this version does not interpret (e.g. a later `promotion`); it is chained but changes nothing here. */
  | (EntryBase & { readonly type: 'other'; readonly recordType: string });

/** A request's own entries, in log order, checked to form one hash chain. */
export interface RequestHistory {
  readonly requestId: string;
  readonly request: RequestPredicate;
  readonly classification: ClassificationPredicate;
  readonly entries: readonly RequestEntry[];
  /** The last entry: what the next entry's `prev` must name, and the `expectHead` of its append. */
  readonly head: EntryRef;
}

/**
 * Reads a request's entries (lookup key `request=<id>`) and checks they form one chain: the first is the `request`
 * record with no `prev`, the second its `classification`, and every later entry's `prev` names exactly the entry
 * before it (index and leaf hash). A gap, a fork or a rewritten entry is ERR_REQUEST_HISTORY_BROKEN.
 *
 * @throws DocketError ERR_REQUEST_NOT_FOUND, ERR_REQUEST_HISTORY_BROKEN, ERR_REQUEST_RECORD_MALFORMED, ERR_LEDGER_*
 */
export async function readRequestHistory(ledger: Ledger, requestId: string): Promise<RequestHistory> {
  const indices = await ledger.find('request', requestId);
  if (indices.length === 0) {
    throw new DocketError(RequestErrorCode.NotFound, `no request ${requestId}`, { details: { requestId } });
  }
  const entries: RequestEntry[] = [];
  let previous: EntryRef | undefined;
  for (const index of indices) {
    const entry = await ledger.readEntry(index);
    const typed = readEntry(entry, requestId);
    const prev = readPrev(new RecordReader(index), entry.statement.predicate);
    if (previous === undefined) {
      if (typed.type !== 'request' || prev !== null)
        broken(requestId, index, 'the first entry is not the request');
    } else if (prev === null || prev.index !== previous.index || prev.leafHash !== previous.leafHash) {
      broken(
        requestId,
        index,
        `its prev does not name entry ${previous.index}, the previous entry of the request`,
      );
    }
    entries.push(typed);
    previous = typed.ref;
  }
  const [first, second] = entries;
  if (first?.type !== 'request')
    return broken(requestId, indices[0] as number, 'the first entry is not the request');
  if (second?.type !== 'classification') {
    return broken(
      requestId,
      second?.ref.index ?? first.ref.index,
      'the request has no classification after it',
    );
  }
  return {
    requestId,
    request: first.record,
    classification: second.record,
    entries,
    head: previous as EntryRef,
  };
}

function readEntry(entry: DecodedEntry, requestId: string): RequestEntry {
  const r = new RecordReader(entry.index);
  const p = entry.statement.predicate;
  const base: EntryBase = {
    ref: { index: entry.index, leafHash: entry.leafHash },
    recordedAt: entry.recordedAt,
  };
  if (p.requestId !== requestId) broken(requestId, entry.index, 'it belongs to another request');
  switch (entry.recordType) {
    case REQUEST_RECORD.request:
      return { ...base, type: 'request', record: readRequest(r, p) };
    case REQUEST_RECORD.classification:
      return { ...base, type: 'classification', record: readClassification(r, p) };
    case REQUEST_RECORD.view:
      return { ...base, type: 'view', record: readView(r, p) };
    case REQUEST_RECORD.decision:
      return { ...base, type: 'decision', record: readDecision(r, p) };
    case REQUEST_RECORD.withdrawal:
      return { ...base, type: 'withdrawal', record: readWithdrawal(r, p) };
    default:
      return { ...base, type: 'other', recordType: entry.recordType };
  }
}

function broken(requestId: string, index: number, why: string): never {
  throw new DocketError(
    RequestErrorCode.HistoryBroken,
    `the history of request ${requestId} is broken at log entry ${index}: ${why}`,
    { details: { requestId, index } },
  );
}
