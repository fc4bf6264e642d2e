import { join } from 'node:path';
import type { Command } from 'commander';
import { isDigest } from '../../digest/index.js';
import type { Docket } from '../../home/index.js';
import { LOCAL_REGISTRY_FILE, LocalRegistry } from '../../registries/index.js';
import { withDocket } from '../context.js';
import type { Output } from '../output.js';

/** Runs `work` with the home's local registry (`registry.db`, created on first use) and always closes it. */
async function withLocalRegistry(
  command: Command,
  work: (registry: LocalRegistry, out: Output, docket: Docket) => Promise<void>,
): Promise<void> {
  // The ledger is only opened to find the home's artefact store; nothing here writes it.
  await withDocket(
    command,
    async (docket, out) => {
      const registry = LocalRegistry.open(join(docket.home, LOCAL_REGISTRY_FILE), {
        create: true,
        artefacts: docket.artefacts,
      });
      try {
        await work(registry, out, docket);
      } finally {
        await registry.close();
      }
    },
    { readonly: true },
  );
}

export function registerRegistryCommands(program: Command): void {
  const registry = program
    .command('registry')
    .description('the embedded local model registry (registry.db): models, versions, aliases');

  const model = registry.command('model').description('registered models');
  model
    .command('create')
    .description('register a model name')
    .argument('<name>', 'model name')
    .action(async (name: string, _opts: unknown, command: Command) => {
      await withLocalRegistry(command, async (r, out) => {
        const created = await r.createModel(name);
        out.result(created, () => `created model ${created.name}`);
      });
    });
  model
    .command('ls')
    .description('list models')
    .action(async (_opts: unknown, command: Command) => {
      await withLocalRegistry(command, async (r, out) => {
        const models = await r.listModels();
        out.result(models, () => (models.length === 0 ? 'no models' : models.map((m) => m.name).join('\n')));
      });
    });

  const version = registry.command('version').description('model versions');
  version
    .command('register')
    .description('register the next version of a model at a directory, a file, or an artefact digest')
    .argument('<model>', 'model name')
    .argument('<location>', 'a directory or file path, or sha256:<64 hex> of a stored artefact')
    .option('--run-id <id>', 'the training run, for information')
    .action(async (name: string, location: string, opts: { runId?: string }, command: Command) => {
      await withLocalRegistry(command, async (r, out) => {
        const registered = await r.registerVersion(
          name,
          isDigest(location) ? { digest: location } : { path: location },
          opts.runId === undefined ? {} : { runId: opts.runId },
        );
        out.result(
          registered,
          () => `registered ${registered.model} version ${registered.version} at ${registered.source}`,
        );
      });
    });
  version
    .command('ls')
    .description('list the versions of a model')
    .argument('<model>', 'model name')
    .action(async (name: string, _opts: unknown, command: Command) => {
      await withLocalRegistry(command, async (r, out) => {
        const versions = await r.listVersions(name);
        out.result(versions, () =>
          versions.length === 0
            ? 'no versions'
            : versions.map((v) => `${v.version}\t${v.location.kind}\t${v.source}`).join('\n'),
        );
      });
    });

  const alias = registry.command('alias').description('aliases (a promotion moves them through the gate)');
  alias
    .command('set')
    .description('point an alias at a version directly: unattested, as an admin would in MLflow')
    .argument('<model>', 'model name')
    .argument('<alias>', 'alias, e.g. champion')
    .argument('<version>', 'version number')
    .action(
      async (name: string, aliasName: string, versionNumber: string, _opts: unknown, command: Command) => {
        await withLocalRegistry(command, async (r, out) => {
          await r.setAlias(name, aliasName, versionNumber);
          out.result(
            { model: name, alias: aliasName, version: versionNumber },
            () => `${name}@${aliasName} -> ${versionNumber}`,
          );
        });
      },
    );
  alias
    .command('delete')
    .description('remove an alias directly (unattested)')
    .argument('<model>', 'model name')
    .argument('<alias>', 'alias')
    .action(async (name: string, aliasName: string, _opts: unknown, command: Command) => {
      await withLocalRegistry(command, async (r, out) => {
        await r.deleteAlias(name, aliasName);
        out.result({ model: name, alias: aliasName, deleted: true }, () => `${name}@${aliasName} deleted`);
      });
    });
  alias
    .command('show')
    .description('show the aliases of a model, or of every model')
    .argument('[model]', 'model name (default: every model)')
    .argument('[alias]', 'one alias')
    .action(
      async (name: string | undefined, aliasName: string | undefined, _opts: unknown, command: Command) => {
        await withLocalRegistry(command, async (r, out) => {
          let rows = await r.listAliases();
          if (name !== undefined) {
            await r.listVersions(name); // NOT_FOUND for an unknown model rather than an empty list
            rows = rows.filter(
              (row) => row.model === name && (aliasName === undefined || row.alias === aliasName),
            );
          }
          out.result(rows, () =>
            rows.length === 0
              ? 'no aliases'
              : rows.map((a) => `${a.model}@${a.alias} -> ${a.version}`).join('\n'),
          );
        });
      },
    );
  alias
    .command('history')
    .description('every change of a model’s aliases, oldest first (append-only)')
    .argument('<model>', 'model name')
    .argument('[alias]', 'one alias')
    .action(async (name: string, aliasName: string | undefined, _opts: unknown, command: Command) => {
      await withLocalRegistry(command, async (r, out) => {
        const changes = await r.aliasHistory(name, aliasName);
        out.result(changes, () =>
          changes.length === 0
            ? 'no alias changes'
            : changes
                .map(
                  (c) =>
                    `${c.changedAt}\t${c.model}@${c.alias}\t${c.fromVersion ?? '-'} -> ${c.toVersion ?? '-'}`,
                )
                .join('\n'),
        );
      });
    });
}
