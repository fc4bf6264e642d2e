import type { Command } from 'commander';
import { checkDeployment, type DeploymentVerdict, targetLabel } from '../../promotion/index.js';
import { withDocket } from '../context.js';
import { ExitCode } from '../exit-codes.js';

const GATE_EXIT_CODES_HELP = `
For CI systems: --json prints the verdict (ok, the promotion event and transition, the checkpoint, problems).

Exit codes:
  ${ExitCode.Ok}   a verified promotion event and an applied transition exist for this version: deploy
  ${ExitCode.CheckFailed}   no verified promotion of this version: do not deploy (problems say why)
  ${ExitCode.Refused}   refused with a coded error (a log that was never initialised...): do not deploy
  ${ExitCode.Home}   the docket home is missing or its configuration is invalid
  ${ExitCode.Internal}  unexpected failure`;

export function registerGateCommand(program: Command): void {
  program
    .command('gate')
    .description(
      'for deployment pipelines: exit 0 only when this version has a verified promotion event and an applied transition',
    )
    .argument('<model>', 'model name')
    .argument('<version>', 'model version')
    .option('--registry <name>', 'the registry name in requests (default: the configured registry)')
    .addHelpText('after', GATE_EXIT_CODES_HELP)
    .action(async (model: string, version: string, opts: { registry?: string }, command: Command) => {
      await withDocket(
        command,
        async (docket, out) => {
          const registry = opts.registry ?? docket.registryConfig.name;
          const verdict = await checkDeployment(docket.ledger, { registry, model, version });
          out.result(verdict, () => describeVerdict(verdict));
          if (!verdict.ok) process.exitCode = ExitCode.CheckFailed;
        },
        { readonly: true },
      );
    });
}

function describeVerdict(v: DeploymentVerdict): string {
  const what = `${v.registry}/${v.model}@${v.version}`;
  if (!v.ok || v.promotion === null || v.transition === null) {
    return [`FAIL ${what}: do not deploy`, ...v.problems.map((p) => `  ${p}`)].join('\n');
  }
  const p = v.promotion;
  return [
    `PASS ${what}: ${p.artefactDigest}`,
    `  promotion event at ${p.index} (request ${p.requestId}, class ${p.class}, ${targetLabel(p.target)}), approved by ${p.approvers.map((a) => a.subject).join(', ')}${p.dev ? ' [dev identity]' : ''}`,
    `  transition ${v.transition.outcome} (${v.transition.reason}) at ${v.transition.index}`,
    `  both proven included under checkpoint ${v.checkpoint?.size} of ${v.checkpoint?.origin}`,
  ].join('\n');
}
