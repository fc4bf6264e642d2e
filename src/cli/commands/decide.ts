import type { Command } from 'commander';
import type { DecisionOutcome } from '../../approvals/decisions/index.js';
import type { EvidenceKind } from '../../approvals/policy/index.js';
import {
  EVIDENCE_FIELDS,
  EVIDENCE_KINDS,
  type EvidenceDigestsInput,
  getRequest,
} from '../../approvals/requests/index.js';
import { DocketError } from '../../errors/index.js';
import { type DecisionPromotion, decideAndPromote } from '../../promotion/index.js';
import { withDocket } from '../context.js';
import { APPROVAL_EXIT_CODES_HELP, TOKEN_OPTION_HELP, tokenFrom } from './approval-options.js';
import { describePromotion, PROMOTION_PENDING_EXIT, promotionJson } from './promote.js';
import { describeRequest } from './request.js';

interface DecideOptions {
  comment?: string;
  evidence?: string[];
  token?: string;
}

export function registerDecideCommands(program: Command): void {
  const decideCommand = program
    .command('decide')
    .description(
      'approve or reject a request; every evidence its class requires must have been reviewed first; the approval that completes the approvals promotes at once (unless the policy asks for docket promote)',
    );
  for (const decision of ['approve', 'reject'] as const) {
    decideCommand
      .command(decision)
      .description(`${decision} a request`)
      .argument('<request>', 'request id (req-...)')
      .option('--comment <text>', 'for the record')
      .option(
        '--evidence <kind=digest>',
        'the digest you were shown for an evidence kind (repeatable); the decision is refused if it differs from the request (default: the request digests, printed before deciding)',
        (value: string, previous: string[] = []) => [...previous, value],
      )
      .option('--token <token>', TOKEN_OPTION_HELP)
      .addHelpText('after', APPROVAL_EXIT_CODES_HELP)
      .action(async (requestId: string, opts: DecideOptions, command: Command) => {
        const token = tokenFrom(opts);
        const overrides = parseEvidenceFlags(opts.evidence ?? []);
        await withDocket(command, async (docket, out) => {
          const request = await getRequest(docket.approvals, requestId);
          const displayed: Record<string, string> = { ...request.evidence };
          for (const [kind, digest] of overrides) displayed[EVIDENCE_FIELDS[kind]] = digest;
          out.info(
            `deciding on evidence: ${EVIDENCE_KINDS.map((k) => `${k} ${displayed[EVIDENCE_FIELDS[k]]}`).join(', ')}`,
          );
          const { decision: outcome, promotion } = await decideAndPromote(docket.promotion, {
            requestId,
            token,
            decision,
            evidence: displayed as EvidenceDigestsInput,
            ...(opts.comment === undefined ? {} : { comment: opts.comment }),
          });
          // The decision is recorded whatever the promotion did; the promotion's fate is printed with it (exit 5: pending).
          out.result({ ...summary(outcome), promotion: promotionSummary(promotion) }, () =>
            describeOutcome(outcome, describeDecisionPromotion(outcome.requestId, promotion)),
          );
          if (promotion.status === 'transition-pending') process.exitCode = PROMOTION_PENDING_EXIT;
        });
      });
  }
}

function parseEvidenceFlags(flags: readonly string[]): [EvidenceKind, string][] {
  return flags.map((flag) => {
    const eq = flag.indexOf('=');
    const kind = flag.slice(0, eq);
    if (eq < 0 || !Object.hasOwn(EVIDENCE_FIELDS, kind)) {
      throw new DocketError(
        'ERR_CLI_USAGE',
        `--evidence ${flag}: expected kind=digest with kind one of ${EVIDENCE_KINDS.join(', ')}`,
      );
    }
    return [kind as EvidenceKind, flag.slice(eq + 1)];
  });
}

function summary(o: DecisionOutcome) {
  return {
    requestId: o.requestId,
    index: o.index,
    decision: o.decision,
    identity: o.identity,
    roles: o.roles,
    dev: o.dev,
    state: o.state,
    approvalsComplete: o.approvalsComplete,
    requirements: o.requirements,
    head: o.request.head,
  };
}

function promotionSummary(p: DecisionPromotion): Record<string, unknown> {
  switch (p.status) {
    case 'not-run':
      return { status: p.status, reason: p.reason };
    case 'refused':
      return { status: p.status, error: p.error.toJSON() };
    default:
      return { status: p.status, ...promotionJson(p.outcome) };
  }
}

function describeDecisionPromotion(requestId: string, p: DecisionPromotion): string {
  switch (p.status) {
    case 'not-run':
      return p.reason === 'explicit-mode'
        ? `the policy asks for an explicit step: run docket promote ${requestId}`
        : '';
    case 'refused':
      return `PROMOTION REFUSED: ${p.error.message} [${p.error.code}]; nothing was promoted (docket promote ${requestId} once fixed)`;
    default:
      return describePromotion(p.outcome);
  }
}

function describeOutcome(o: DecisionOutcome, promotion: string): string {
  const verb = o.decision === 'approve' ? 'approval' : 'rejection';
  return [
    `${verb} by ${o.identity.subject} [${o.roles.join(', ')}] recorded at log index ${o.index}${o.dev ? ' (dev identity)' : ''}`,
    o.approvalsComplete ? 'APPROVALS COMPLETE' : `request is ${o.state}`,
    ...(promotion === '' ? [] : [promotion]),
    '',
    describeRequest(o.request),
  ].join('\n');
}
