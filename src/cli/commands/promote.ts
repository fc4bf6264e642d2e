import type { Command } from 'commander';
import {
  type PromotionOutcome,
  type PromotionStatus,
  promote,
  type RecordedTransition,
  readPromotion,
  targetLabel,
} from '../../promotion/index.js';
import { withDocket } from '../context.js';
import { ExitCode } from '../exit-codes.js';

/** Exit status of `promote` when the event is written and the registry move failed: run it again with --resume. */
export const PROMOTION_PENDING_EXIT = ExitCode.PromotionPending;

const PROMOTE_EXIT_CODES_HELP = `
Exit codes:
  ${ExitCode.Ok}   promoted (or, with --resume, already promoted: nothing written, nothing moved)
  ${ExitCode.Usage}   the command line is wrong
  ${ExitCode.Refused}   refused with a coded error (not approved, evidence missing or changed, champion moved,
      artefact mismatch, registry unreachable before the event write...): nothing was written or moved
  ${ExitCode.Home}   the docket home is missing or its configuration is invalid
  ${PROMOTION_PENDING_EXIT}   the promotion event is written and the registry move failed (recorded as a failed
      transition): run docket promote --resume <request>
  ${ExitCode.Internal}  unexpected failure`;

export function registerPromoteCommand(program: Command): void {
  program
    .command('promote')
    .description(
      'run the promotion gate on an approved request: re-check approvals, evidence, champion and artefact, write the promotion event, then move the registry',
    )
    .argument('<request>', 'request id (req-...)')
    .option('--resume', 'complete a promotion whose event is written and whose transition is pending')
    .option('--status', 'show the promotion state of the request; change nothing')
    .addHelpText('after', PROMOTE_EXIT_CODES_HELP)
    .action(async (requestId: string, opts: { resume?: boolean; status?: boolean }, command: Command) => {
      if (opts.status === true) {
        await withDocket(
          command,
          async (docket, out) => {
            const status = await readPromotion(docket.ledger, requestId);
            out.result(statusJson(status), () => describeStatus(status));
          },
          { readonly: true },
        );
        return;
      }
      await withDocket(command, async (docket, out) => {
        const outcome = await promote(docket.promotion, requestId, { resume: opts.resume === true });
        out.result(promotionJson(outcome), () => describePromotion(outcome));
        if (outcome.state === 'transition-pending') process.exitCode = PROMOTION_PENDING_EXIT;
      });
    });
}

/** A promotion's outcome as printed with --json. */
export function promotionJson(o: PromotionOutcome): Record<string, unknown> {
  const p = o.event.predicate;
  return {
    requestId: o.requestId,
    state: o.state,
    event: {
      index: o.event.index,
      leafHash: o.event.leafHash,
      recordedAt: o.event.recordedAt,
      model: p.model,
      target: p.target,
      expectedChampion: p.expectedChampion,
      trigger: p.trigger,
      approvers: p.approvers,
    },
    ...(o.transition === undefined ? {} : { transition: transitionJson(o.transition) }),
    transitions: o.transitions.map(transitionJson),
  };
}

/** For people: what the promotion did. */
export function describePromotion(o: PromotionOutcome): string {
  const p = o.event.predicate;
  const what = `${p.model.registry}/${p.model.model} ${targetLabel(p.target)}`;
  const lines = [
    `promotion event of ${o.requestId} at log index ${o.event.index} (${p.model.artefactDigest})`,
  ];
  if (o.transition === undefined) lines.push(`already promoted: ${what} -> ${p.model.version}; nothing done`);
  else lines.push(describeTransition(o.transition));
  lines.push(
    o.state === 'promoted'
      ? `PROMOTED: ${what} -> ${p.model.version}`
      : `TRANSITION PENDING: the registry did not move; run docket promote --resume ${o.requestId}`,
  );
  return lines.join('\n');
}

function describeTransition(t: RecordedTransition): string {
  const p = t.predicate;
  return `transition ${p.outcome} (${p.reason}) at log index ${t.index}: ${p.model} ${targetLabel(p.target)} ${p.fromVersion ?? '-'} -> ${p.toVersion}${p.error === null ? '' : ` [${p.error.code}: ${p.error.message}]`}`;
}

function transitionJson(t: RecordedTransition): Record<string, unknown> {
  return { index: t.index, leafHash: t.leafHash, recordedAt: t.recordedAt, ...t.predicate };
}

function statusJson(s: PromotionStatus): Record<string, unknown> {
  return {
    requestId: s.requestId,
    state: s.state,
    event:
      s.event === undefined
        ? null
        : {
            index: s.event.index,
            leafHash: s.event.leafHash,
            recordedAt: s.event.recordedAt,
            ...s.event.predicate,
          },
    transitions: s.transitions.map(transitionJson),
  };
}

function describeStatus(s: PromotionStatus): string {
  if (s.event === undefined) return `request ${s.requestId}: no promotion event`;
  return [
    `request ${s.requestId}: ${s.state.toUpperCase()} (promotion event at log index ${s.event.index})`,
    ...s.transitions.map((t) => `  ${describeTransition(t)}`),
  ].join('\n');
}
