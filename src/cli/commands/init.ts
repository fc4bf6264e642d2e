import type { Command } from 'commander';
import { initHome } from '../../home/index.js';
import { globals } from '../context.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create a docket home: config, ledger key (0600), empty ledger and artefact store')
    .option('--origin <name>', 'log origin, also the signing key name (e.g. bank.example/model-promotions)')
    .option(
      '--dev-identity',
      'enable the dev identity (embedded demo only): docket dev-identity then mints tokens',
    )
    .action(async (opts: { origin?: string; devIdentity?: boolean }, command: Command) => {
      const { home, out } = globals(command);
      const config = await initHome(home, {
        ...(opts.origin === undefined ? {} : { origin: opts.origin }),
        ...(opts.devIdentity === true ? { devIdentity: true } : {}),
      });
      out.result({ home, origin: config.log.origin }, () =>
        [`initialised docket home ${home}`, `log origin: ${config.log.origin}`].join('\n'),
      );
    });
}
