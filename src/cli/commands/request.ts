import type { Command } from 'commander';
import {
  type ApprovalRequest,
  getRequest,
  type ListedRequest,
  listRequests,
  openRequest,
  REQUEST_STATES,
  type RequestState,
  withdrawRequest,
} from '../../approvals/requests/index.js';
import { DocketError } from '../../errors/index.js';
import { withDocket } from '../context.js';
import { APPROVAL_EXIT_CODES_HELP, TOKEN_OPTION_HELP, tokenFrom } from './approval-options.js';

interface OpenOptions {
  candidate: string;
  candidateArtefact: string;
  champion: string;
  championArtefact: string;
  comparison: string;
  explanation: string;
  trainingDataset: string;
  evaluationDataset: string;
  changeManifest: string;
  ticket?: string;
  token?: string;
}

export function registerRequestCommands(program: Command): void {
  const request = program.command('request').description('promotion requests: open, show, list, withdraw');

  request
    .command('open')
    .description('open a promotion request; its change manifest is classified with the active policy at once')
    .requiredOption('--candidate <ref>', 'the model version to promote: registry/model@version')
    .requiredOption(
      '--candidate-artefact <digest>',
      "the candidate's model artefact digest (docket artefact put)",
    )
    .requiredOption('--champion <ref>', 'the version it replaces: registry/model@version')
    .requiredOption('--champion-artefact <digest>', "the champion's model artefact digest")
    .requiredOption('--comparison <digest>', 'challenger comparison report')
    .requiredOption('--explanation <digest>', 'explanation bundle')
    .requiredOption('--training-dataset <digest>', 'training dataset')
    .requiredOption('--evaluation-dataset <digest>', 'evaluation dataset')
    .requiredOption('--change-manifest <digest>', 'change manifest (JSON) the classifier reads')
    .option('--ticket <ref>', 'external ticket reference (Jira, ServiceNow), kept as information')
    .option('--token <token>', TOKEN_OPTION_HELP)
    .addHelpText('after', APPROVAL_EXIT_CODES_HELP)
    .action(async (opts: OpenOptions, command: Command) => {
      const token = tokenFrom(opts);
      await withDocket(command, async (docket, out) => {
        const opened = await openRequest(docket.approvals, {
          token,
          candidate: {
            ...parseModelRef(opts.candidate, '--candidate'),
            artefactDigest: opts.candidateArtefact,
          },
          champion: { ...parseModelRef(opts.champion, '--champion'), artefactDigest: opts.championArtefact },
          evidence: {
            comparison: opts.comparison,
            explanation: opts.explanation,
            trainingDataset: opts.trainingDataset,
            evaluationDataset: opts.evaluationDataset,
            changeManifest: opts.changeManifest,
          },
          ...(opts.ticket === undefined ? {} : { ticket: opts.ticket }),
        });
        out.result(opened, () => describeRequest(opened));
      });
    });

  request
    .command('show')
    .description('show a request: state, classification and reasons, what is still required, its history')
    .argument('<id>', 'request id (req-...)')
    .addHelpText('after', APPROVAL_EXIT_CODES_HELP)
    .action(async (id: string, _opts: unknown, command: Command) => {
      await withDocket(
        command,
        async (docket, out) => {
          const found = await getRequest(docket.approvals, id);
          out.result(found, () => describeRequest(found, { history: true }));
        },
        { readonly: true },
      );
    });

  request
    .command('list')
    .description('list requests, oldest first')
    .option('--state <state>', `only requests in this state: ${REQUEST_STATES.join(', ')}`)
    .option('--model <registry/model>', 'only requests for this model, e.g. local/credit-decisioning')
    .option('--awaiting-me', 'only open requests your approval would move forward (needs a token)')
    .option('--token <token>', TOKEN_OPTION_HELP)
    .addHelpText('after', APPROVAL_EXIT_CODES_HELP)
    .action(
      async (
        opts: { state?: string; model?: string; awaitingMe?: boolean; token?: string },
        command: Command,
      ) => {
        const token = opts.awaitingMe === true ? tokenFrom(opts) : undefined;
        await withDocket(
          command,
          async (docket, out) => {
            const me = token === undefined ? undefined : await docket.identity.verify(token);
            const listed = await listRequests(docket.approvals, {
              ...(opts.state === undefined ? {} : { state: opts.state as RequestState }),
              ...(opts.model === undefined ? {} : { model: opts.model }),
              ...(me === undefined
                ? {}
                : { awaiting: { issuer: me.issuer, subject: me.subject, groups: me.groups } }),
            });
            out.result(listed, () => (listed.length === 0 ? 'no requests' : listed.map(listLine).join('\n')));
          },
          { readonly: true },
        );
      },
    );

  request
    .command('withdraw')
    .description('withdraw your own open request; it then takes no more reviews or decisions')
    .argument('<id>', 'request id (req-...)')
    .option('--reason <text>', 'why, for the record')
    .option('--token <token>', TOKEN_OPTION_HELP)
    .addHelpText('after', APPROVAL_EXIT_CODES_HELP)
    .action(async (id: string, opts: { reason?: string; token?: string }, command: Command) => {
      const token = tokenFrom(opts);
      await withDocket(command, async (docket, out) => {
        const withdrawn = await withdrawRequest(docket.approvals, {
          requestId: id,
          token,
          ...(opts.reason === undefined ? {} : { reason: opts.reason }),
        });
        out.result(withdrawn, () => `request ${withdrawn.id} withdrawn (log index ${withdrawn.head.index})`);
      });
    });
}

/** `registry/model@version`, split at the first '/' and the last '@'; the library checks each part. */
function parseModelRef(text: string, flag: string): { registry: string; model: string; version: string } {
  const slash = text.indexOf('/');
  const at = text.lastIndexOf('@');
  if (slash <= 0 || at <= slash + 1 || at === text.length - 1) {
    throw new DocketError(
      'ERR_CLI_USAGE',
      `${flag} must be registry/model@version, e.g. local/credit-decisioning@17`,
    );
  }
  return { registry: text.slice(0, slash), model: text.slice(slash + 1, at), version: text.slice(at + 1) };
}

function ref(r: { registry: string; model: string; version: string }): string {
  return `${r.registry}/${r.model}@${r.version}`;
}

function listLine(r: ListedRequest): string {
  const todo =
    r.toReview === undefined
      ? ''
      : `  review first: ${r.toReview.length === 0 ? 'nothing' : r.toReview.join(', ')}`;
  return `${r.id}  ${r.state.padEnd(9)}  class ${r.classification.class}  ${ref(r.candidate)}  opened ${r.openedAt}${todo}`;
}

/** A request for people: what it is, where it stands, what it still needs. */
export function describeRequest(r: ApprovalRequest, options: { history?: boolean } = {}): string {
  const c = r.classification;
  const req = r.requirements;
  const lines = [
    `request ${r.id}  ${r.state.toUpperCase()}${r.dev ? '  [dev identity]' : ''}`,
    `  candidate   ${ref(r.candidate)}  ${r.candidate.artefactDigest}`,
    `  champion    ${ref(r.champion)}  ${r.champion.artefactDigest}`,
    `  requester   ${r.requester.subject} (${r.requester.issuer})`,
    `  opened      ${r.openedAt}, expires ${r.expiresAt}${r.closedAt === null ? '' : `, closed ${r.closedAt}`}`,
    ...(r.ticket === null ? [] : [`  ticket      ${r.ticket}`]),
    'evidence',
    `  comparison          ${r.evidence.comparison}`,
    `  explanation         ${r.evidence.explanation}`,
    `  training-dataset    ${r.evidence.trainingDataset}`,
    `  evaluation-dataset  ${r.evidence.evaluationDataset}`,
    `  change-manifest     ${r.evidence.changeManifest}`,
    `classification: class ${c.class} (policy ${c.policyDigest}, classifier ${c.classifierVersion})`,
    ...c.reasons.map((reason) => `  - ${reason.rule}: ${reason.message}`),
    `requires: ${req.approvers.required} approver${req.approvers.required === 1 ? '' : 's'} (${req.approvers.present} so far)${req.roles
      .map((x) => `, ${x.required} ${x.role} (${x.present})`)
      .join(
        '',
      )}${req.committee === null ? '' : `, committee quorum ${req.committee.quorum} (${req.committee.present})`}; each must review ${req.evidence.join(', ')}`,
    r.approvalsComplete
      ? 'approvals complete'
      : r.state === 'open'
        ? `still missing: ${req.missing.join('; ')}`
        : '',
  ];
  for (const d of r.decisions) {
    lines.push(
      `  ${d.decision === 'approve' ? 'approved' : 'rejected'} by ${d.identity.subject} [${d.roles.join(', ')}] at ${d.recordedAt}${d.counted ? '' : ` (not counted: ${d.problem})`}${d.comment === null ? '' : `: ${d.comment}`}`,
    );
  }
  if (options.history === true) {
    for (const v of r.views) {
      lines.push(
        `  reviewed ${v.evidenceKinds.join('+')} by ${v.viewer.subject} at ${v.recordedAt} (served ${v.servedDigest})`,
      );
    }
    lines.push('history');
    for (const e of r.entries) lines.push(`  ${String(e.index).padStart(6)}  ${e.recordedAt}  ${e.type}`);
  }
  return lines.filter((line) => line !== '').join('\n');
}
