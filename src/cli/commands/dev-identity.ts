import type { Command } from 'commander';
import { DocketError } from '../../errors/index.js';
import { defaultIdentityConfig, devKeyDir } from '../../home/index.js';
import { createDevIdentityIssuer, DEV_ISSUER, IdentityErrorCode } from '../../identity/index.js';
import { withDocket } from '../context.js';
import { APPROVAL_EXIT_CODES_HELP } from './approval-options.js';

export function registerDevIdentityCommand(program: Command): void {
  program
    .command('dev-identity')
    .description(
      'mint a dev-identity token for the embedded demo (only when config.json sets identity.dev.enabled: true, e.g. docket init --dev-identity); every record made with it says dev: true',
    )
    .argument('<subject>', 'the named user, e.g. alice')
    .option('--groups <a,b>', 'groups the token carries; the active policy maps them to roles', '')
    .option('--ttl <seconds>', 'lifetime in seconds (default 3600, at most 7 days)', (v: string) => Number(v))
    .addHelpText(
      'after',
      `\nExample:\n  export DOCKET_TOKEN=$(docket dev-identity alice --groups approvers)\n${APPROVAL_EXIT_CODES_HELP}`,
    )
    .action(async (subject: string, opts: { groups: string; ttl?: number }, command: Command) => {
      await withDocket(
        command,
        async (docket, out) => {
          const identity = docket.config.identity ?? defaultIdentityConfig();
          if (!identity.dev.enabled) {
            throw new DocketError(
              IdentityErrorCode.DevDisabled,
              'dev identity is not enabled in this home (config.json identity.dev.enabled must be true; docket init --dev-identity sets it)',
              { details: { issuer: DEV_ISSUER } },
            );
          }
          const groups = opts.groups
            .split(',')
            .map((g) => g.trim())
            .filter((g) => g !== '');
          const issuer = await createDevIdentityIssuer(devKeyDir(docket.home));
          const token = await issuer.mintDevToken({
            subject,
            groups,
            audience: identity.audience,
            ...(opts.ttl === undefined ? {} : { ttlSeconds: opts.ttl }),
          });
          out.info(`dev identity token for ${subject} [${groups.join(', ')}]: for the embedded demo only`);
          out.result(
            { token, issuer: DEV_ISSUER, subject, groups, audience: identity.audience },
            () => token,
          );
        },
        { readonly: true },
      );
    });
}
