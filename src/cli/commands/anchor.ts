import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { AnchorTarget } from '../../audit/anchor/index.js';
import { DocketError } from '../../errors/index.js';
import { anchorTargets, type Docket } from '../../home/index.js';
import { withDocket } from '../context.js';
import { CliErrorCode } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/** The anchor targets of the home's config plus any `--dir` given on the command line. */
export function targetsOf(docket: Docket, dirs: readonly string[] = []): AnchorTarget[] {
  return [
    ...anchorTargets(docket.home, docket.config.anchors ?? []),
    ...dirs.map((d): AnchorTarget => ({ kind: 'directory', path: resolve(d) })),
  ];
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerAnchor(program: Command): void {
  program
    .command('anchor')
    .description(
      "write the latest signed checkpoint outside the database: to each target in config.json's anchors " +
        '(directories, S3 buckets with Object Lock in COMPLIANCE mode) and to every --dir; exit 1 if any failed',
    )
    .option('--dir <path>', 'also anchor to this existing directory (repeatable)', collect)
    .action(async (opts: { dir?: string[] }, command: Command) => {
      await withDocket(
        command,
        async (docket, out) => {
          const targets = targetsOf(docket, opts.dir);
          if (targets.length === 0) {
            throw new DocketError(
              CliErrorCode.Usage,
              'no anchor targets: add "anchors" to config.json or pass --dir <path>',
            );
          }
          const checkpoint = await docket.ledger.latestCheckpoint();
          // The anchor module pulls in the S3 client: loaded only when anchoring.
          const { anchorCheckpoint } = await import('../../audit/anchor/index.js');
          const results = await anchorCheckpoint(checkpoint.note, targets);
          const rows = results.map((r) =>
            r.ok
              ? { target: r.target, ok: true, location: r.location, created: r.created }
              : { target: r.target, ok: false, error: r.error.toJSON() },
          );
          out.result({ size: checkpoint.size, anchors: rows }, () =>
            [
              `checkpoint at size ${checkpoint.size}:`,
              ...rows.map((r) =>
                r.ok
                  ? `  ${r.target}  ${r.created ? 'anchored' : 'already anchored'} at ${r.location}`
                  : `  ${r.target}  FAILED: ${r.error?.message} [${r.error?.code}]`,
              ),
            ].join('\n'),
          );
          if (rows.some((r) => !r.ok)) process.exitCode = ExitCode.CheckFailed;
        },
        { readonly: true },
      );
    });
}
