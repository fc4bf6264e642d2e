import { Command, CommanderError } from 'commander';
import { DOCKET_VERSION } from '../version.js';
import { registerAnchor } from './commands/anchor.js';
import { registerArtefactCommands } from './commands/artefact.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerDecideCommands } from './commands/decide.js';
import { registerDevIdentityCommand } from './commands/dev-identity.js';
import { registerGateCommand } from './commands/gate.js';
import { registerInit } from './commands/init.js';
import { registerLogCommands } from './commands/log.js';
import { registerPolicyCommands } from './commands/policy.js';
import { registerPromoteCommand } from './commands/promote.js';
import { registerReconcileCommand } from './commands/reconcile.js';
import { registerRegistryCommands } from './commands/registry.js';
import { registerReportCommands } from './commands/report.js';
import { registerRequestCommands } from './commands/request.js';
import { registerReviewCommand } from './commands/review.js';
import { registerServeCommand } from './commands/serve.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { printError } from './output.js';

/** Builds the docket command tree; parsing only, every action calls the library. */
export function buildProgram(): Command {
  const program = new Command('docket')
    .description('the court record of ML model promotions')
    .version(DOCKET_VERSION)
    .option('--home <dir>', 'docket home (default: $DOCKET_HOME or ./.docket)')
    .option('--json', 'machine-readable output on stdout')
    .showHelpAfterError()
    .exitOverride();
  registerInit(program);
  registerArtefactCommands(program);
  registerLogCommands(program);
  registerAnchor(program);
  registerRegistryCommands(program);
  registerPolicyCommands(program);
  registerRequestCommands(program);
  registerReviewCommand(program);
  registerDecideCommands(program);
  registerPromoteCommand(program);
  registerReconcileCommand(program);
  registerGateCommand(program);
  registerAuditCommand(program);
  registerDevIdentityCommand(program);
  registerServeCommand(program);
  registerReportCommands(program);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    printError(err, argv.includes('--json'));
    return exitCodeFor(err);
  }
}
