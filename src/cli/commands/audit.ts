import type { Command } from 'commander';
import { auditVersion, renderAuditHtml, renderAuditText } from '../../audit/query/index.js';
import { withDocket } from '../context.js';
import { ExitCode } from '../exit-codes.js';

const AUDIT_HELP = `
Answers on one screen what a promotion of this version rests on, and whether each of its six references (model,
comparison, request-history, approvers, explanation, datasets) is evidence or broken, with the reason.
--json prints the same report as JSON; --html a printable, self-contained HTML page (no network assets).

Exit codes:
  ${ExitCode.Ok}   every reference of every promotion event of this version is evidence
  ${ExitCode.CheckFailed}   a reference is broken (the report names it and why)
  ${ExitCode.Refused}   refused with a coded error (ERR_AUDIT_NO_EVENT: no promotion event for this version)
  ${ExitCode.Home}   the docket home is missing or its configuration is invalid
  ${ExitCode.Internal}  unexpected failure`;

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('what the promotion of a model version rests on, each reference judged evidence or broken')
    .argument('<model>', 'model name')
    .argument('<version>', 'model version')
    .option('--registry <name>', 'the registry name in requests (default: the configured registry)')
    .option('--html', 'a printable, self-contained HTML page on stdout')
    .addHelpText('after', AUDIT_HELP)
    .action(
      async (
        model: string,
        version: string,
        opts: { registry?: string; html?: boolean },
        command: Command,
      ) => {
        await withDocket(
          command,
          async (docket, out) => {
            const registry = opts.registry ?? docket.registryConfig.name;
            const report = await auditVersion(docket.ledger, docket.artefacts, { registry, model, version });
            if (opts.html === true) process.stdout.write(renderAuditHtml(report));
            else out.result(report, () => renderAuditText(report));
            if (!report.ok) process.exitCode = ExitCode.CheckFailed;
          },
          { readonly: true },
        );
      },
    );
}
