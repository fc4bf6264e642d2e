import type { Command } from 'commander';
import { type DecisionOutcome, decide } from '../../approvals/decisions/index.js';
import type { EvidenceKind } from '../../approvals/policy/index.js';
import {
  EVIDENCE_FIELDS,
  EVIDENCE_KINDS,
  type EvidenceDigestsInput,
  getRequest,
} from '../../approvals/requests/index.js';
import { DocketError } from '../../errors/index.js';
import { withDocket } from '../context.js';
import { APPROVAL_EXIT_CODES_HELP, TOKEN_OPTION_HELP, tokenFrom } from './approval-options.js';
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
      'approve or reject a request; every evidence its class requires must have been reviewed first',
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
          const outcome = await decide(docket.approvals, {
            requestId,
            token,
            decision,
            evidence: displayed as EvidenceDigestsInput,
            ...(opts.comment === undefined ? {} : { comment: opts.comment }),
          });
          out.result(summary(outcome), () => describeOutcome(outcome));
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

function describeOutcome(o: DecisionOutcome): string {
  const verb = o.decision === 'approve' ? 'approval' : 'rejection';
  return [
    `${verb} by ${o.identity.subject} [${o.roles.join(', ')}] recorded at log index ${o.index}${o.dev ? ' (dev identity)' : ''}`,
    o.approvalsComplete ? 'APPROVALS COMPLETE: the promotion can proceed' : `request is ${o.state}`,
    '',
    describeRequest(o.request),
  ].join('\n');
}
