import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { type LoadedPolicy, loadPolicy, MATERIALITY_CLASSES } from '../../approvals/policy/index.js';
import { activatePolicy, readActivePolicy } from '../../approvals/policy-activation/index.js';
import { globals, withDocket } from '../context.js';
import { APPROVAL_EXIT_CODES_HELP, readTextFile, TOKEN_OPTION_HELP } from './approval-options.js';

export function registerPolicyCommands(program: Command): void {
  const policy = program
    .command('policy')
    .description('the approval policy: check a policy file, activate it, show the active one');

  policy
    .command('check')
    .description(
      'validate a policy file (YAML) and print its digest; every problem is reported with file:line:column',
    )
    .argument('<file>', 'policy YAML, e.g. examples/policies/credit-risk.yaml')
    .addHelpText('after', APPROVAL_EXIT_CODES_HELP)
    .action(async (file: string, _opts: unknown, command: Command) => {
      const { out } = globals(command);
      const loaded = loadPolicy(await readTextFile(file), { sourceName: file });
      out.result({ name: loaded.policy.name, digest: loaded.digest, policy: loaded.policy }, () =>
        [`policy ${loaded.policy.name} is valid`, `digest ${loaded.digest}`, ...classLines(loaded)].join(
          '\n',
        ),
      );
    });

  policy
    .command('activate')
    .description(
      'activate a policy: store its canonical JSON and append a policy record (the latest is the active one)',
    )
    .argument('<file>', 'policy YAML')
    .option(
      '--token <token>',
      `${TOKEN_OPTION_HELP}; without one, the local user is recorded as the activator`,
    )
    .addHelpText('after', APPROVAL_EXIT_CODES_HELP)
    .action(async (file: string, opts: { token?: string }, command: Command) => {
      const loaded = loadPolicy(await readTextFile(file), { sourceName: file });
      await withDocket(command, async (docket, out) => {
        const token = opts.token ?? process.env.DOCKET_TOKEN;
        const activated = await activatePolicy(docket.approvals, {
          policy: loaded.policy,
          as: token === undefined ? { localUser: userInfo().username } : { token },
        });
        out.result(activated, () =>
          activated.appended
            ? [
                `activated policy ${activated.name} at log index ${activated.index}`,
                `digest   ${activated.digest}`,
                `replaces ${activated.previousPolicyDigest ?? '(none: first policy)'}`,
              ].join('\n')
            : `policy ${activated.name} (${activated.digest}) is already the active policy; nothing recorded`,
        );
      });
    });

  policy
    .command('show')
    .description(
      'print the active policy: name, digest, who activated it and when, and what each class requires',
    )
    .addHelpText('after', APPROVAL_EXIT_CODES_HELP)
    .action(async (_opts: unknown, command: Command) => {
      await withDocket(
        command,
        async (docket, out) => {
          const active = await readActivePolicy(docket.ledger, docket.artefacts);
          const by = active.activatedBy;
          out.result(active, () =>
            [
              `active policy ${active.policy.name} (log index ${active.index}, ${active.activatedAt})`,
              `digest ${active.digest}`,
              `activated by ${by.kind === 'local-user' ? `local user ${by.name}` : `${by.subject} (${by.issuer})${by.dev ? ' [dev identity]' : ''}`}`,
              ...classLines(active),
            ].join('\n'),
          );
        },
        { readonly: true },
      );
    });
}

function classLines({ policy }: LoadedPolicy): string[] {
  return MATERIALITY_CLASSES.map((c) => {
    const rule = policy.classes[c];
    const roles = Object.entries(rule.requiredRoles).map(([role, n]) => `${n} ${role}`);
    if (rule.committee !== undefined)
      roles.push(`committee quorum ${rule.committee.quorum} (${rule.committee.role})`);
    return `class ${c}: ${rule.approvers} approver${rule.approvers === 1 ? '' : 's'}${roles.length > 0 ? `, ${roles.join(', ')}` : ''}; must review ${rule.evidence.join(', ')}`;
  });
}
