import { DocketError } from '../../errors/index.js';
import { identityKey } from '../../identity/index.js';
import { appendToRequest } from './append-to-request.js';
import { type ApprovalsContext, nowOf } from './context.js';
import { RequestErrorCode } from './errors.js';
import { type ApprovalRequest, foldRequest } from './fold-request.js';
import { readRequestHistory } from './history.js';
import { REQUEST_RECORD, recordedIdentity, tokenRecord, type WithdrawalPredicate } from './records.js';
import { invalid, parseRequestId, parseText } from './request-input.js';
import { assertOpen } from './view-evidence.js';

/** Input of {@link withdrawRequest}. */
export interface WithdrawRequestInput {
  readonly requestId: string;
  /** The requester's bearer token: only the identity that opened a request may withdraw it. */
  readonly token: string;
  readonly reason?: string;
}

/**
 * Withdraws an open request: appends a `withdrawal` record to its history, after which it takes no more views or
 * decisions.
 *
 * @throws DocketError ERR_REQUEST_INVALID, ERR_IDENTITY_*, ERR_REQUEST_NOT_FOUND, ERR_REQUEST_CLOSED,
 *   ERR_REQUEST_NOT_REQUESTER
 * @example
 * await withdrawRequest(ctx, { requestId, token, reason: 'comparison rerun with the corrected holdout' });
 */
export async function withdrawRequest(
  ctx: ApprovalsContext,
  input: WithdrawRequestInput,
): Promise<ApprovalRequest> {
  if (typeof input !== 'object' || input === null) invalid('withdrawal', 'must be an object');
  const requestId = parseRequestId(input.requestId);
  const reason = parseText(input.reason, 'reason');
  if (typeof input.token !== 'string') invalid('token', 'a bearer token is required');
  const who = await ctx.identity.verify(input.token);
  await appendToRequest(ctx, requestId, (request) => {
    assertOpen(request);
    if (identityKey(request.requester) !== identityKey(who)) {
      throw new DocketError(
        RequestErrorCode.NotRequester,
        `only ${request.requester.subject}, who opened request ${requestId}, may withdraw it`,
        { details: { requestId } },
      );
    }
    const predicate: WithdrawalPredicate = {
      requestId,
      withdrawnBy: recordedIdentity(who),
      reason,
      token: tokenRecord(who),
      dev: who.dev,
    };
    return {
      type: REQUEST_RECORD.withdrawal,
      subject: [
        {
          name: `candidate:${request.candidate.registry}/${request.candidate.model}@${request.candidate.version}`,
          digest: request.candidate.artefactDigest,
        },
      ],
      predicate: { ...predicate },
    };
  });
  return foldRequest(await readRequestHistory(ctx.ledger, requestId), nowOf(ctx));
}
