import type { Command } from 'commander';
import {
  type ReconcileFinding,
  type ReconcileReport,
  reconcile,
  targetLabel,
} from '../../promotion/index.js';
import { withDocket } from '../context.js';
import { ExitCode } from '../exit-codes.js';

const RECONCILE_EXIT_CODES_HELP = `
Exit codes:
  ${ExitCode.Ok}   every alias and stage is explained by an applied promotion (or, with --enforce, was restored)
  ${ExitCode.CheckFailed}   some target is unexplained (the output names each), or could not be restored
  ${ExitCode.Refused}   refused with a coded error (registry unreachable...)
  ${ExitCode.Home}   the docket home is missing or its configuration is invalid
  ${ExitCode.Internal}  unexpected failure`;

export function registerReconcileCommand(program: Command): void {
  program
    .command('reconcile')
    .description(
      'compare every alias (and stage) in the registry with the ledger; report each one no applied promotion explains',
    )
    .option('--enforce', 'restore each unexplained target to its last attested version, recording why')
    .option('--model <name>', 'only this model (repeatable)', (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .addHelpText('after', RECONCILE_EXIT_CODES_HELP)
    .action(async (opts: { enforce?: boolean; model?: string[] }, command: Command) => {
      await withDocket(command, async (docket, out) => {
        const report = await reconcile(docket.promotion, {
          enforce: opts.enforce === true,
          ...(opts.model === undefined ? {} : { models: opts.model }),
        });
        out.result(report, () => describeReport(report));
        if (!report.ok) process.exitCode = ExitCode.CheckFailed;
      });
    });
}

function describeReport(r: ReconcileReport): string {
  const lines = [
    `registry ${r.registry} (${r.registryId}): ${r.checked} target${r.checked === 1 ? '' : 's'} checked, ${r.findings.length} unexplained`,
  ];
  for (const f of r.findings) lines.push(describeFinding(f));
  lines.push(
    r.ok
      ? 'OK'
      : r.enforced
        ? 'NOT ALL RESTORED'
        : 'UNEXPLAINED TARGETS (docket reconcile --enforce restores them)',
  );
  return lines.join('\n');
}

function describeFinding(f: ReconcileFinding): string {
  const where = `${f.model} ${targetLabel(f.target)}`;
  const attested =
    f.attested === null
      ? 'no attested version'
      : `attested ${f.attested.version} (request ${f.attested.requestId}, promotion at ${f.attested.promotion.index})`;
  const found = f.found === null ? 'unset' : `at ${f.found}`;
  const head =
    f.kind === 'transition-pending'
      ? `  ${where} ${found}: a pending promotion (${f.pendingRequestId}); run docket promote --resume ${f.pendingRequestId}`
      : `  ${where} ${found}, ${f.kind}: ${attested}`;
  const e = f.enforcement;
  if (e === undefined) return head;
  if (e.outcome === 'skipped') return `${head}\n    not restored: ${e.reason}`;
  return `${head}\n    restore ${e.outcome} (transition at ${e.transition.index})${e.error === null ? '' : ` [${e.error.code}: ${e.error.message}]`}`;
}
