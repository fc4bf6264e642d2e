import type { Command } from 'commander';
import type { AnchorTarget } from '../../audit/anchor/index.js';
import { DocketError } from '../../errors/index.js';
import type { Docket } from '../../home/index.js';
import { verifyLog } from '../../ledger/index.js';
import { withDocket } from '../context.js';
import { CliErrorCode } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { targetsOf } from './anchor.js';

export function registerLogCommands(program: Command): void {
  const log = program.command('log').description('the tamper-evident ledger: checkpoints, entries, proofs');

  log
    .command('checkpoint')
    .description('print the latest signed checkpoint (C2SP tlog-checkpoint), or the one kept at --tree-size')
    .option('--tree-size <n>', 'a kept checkpoint size', parseCount)
    .action(async (opts: { treeSize?: number }, command: Command) => {
      await withDocket(
        command,
        async (docket, out) => {
          const cp =
            opts.treeSize === undefined
              ? await docket.ledger.latestCheckpoint()
              : await docket.ledger.proveConsistency(opts.treeSize, opts.treeSize).then((p) => ({
                  size: p.size1,
                  note: p.checkpoint1,
                }));
          if (out.json) out.result({ size: cp.size, checkpoint: cp.note }, () => '');
          else process.stdout.write(cp.note);
        },
        { readonly: true },
      );
    });

  log
    .command('key')
    .description("print the log's verifier key (C2SP note verifier key: name+keyid+base64)")
    .action(async (_opts: unknown, command: Command) => {
      await withDocket(
        command,
        async (docket, out) => {
          const key = docket.ledger.verifierKey;
          out.result({ origin: docket.ledger.origin, verifierKey: key }, () => key);
        },
        { readonly: true },
      );
    });

  log
    .command('entry')
    .description('print one entry: its statement, after checking its leaf hash and signature')
    .argument('<index>', 'log index', parseCount)
    .action(async (index: number, _opts: unknown, command: Command) => {
      await withDocket(
        command,
        async (docket, out) => {
          const entry = await docket.ledger.readEntry(index);
          out.result(entry, () => JSON.stringify(entry, null, 2));
        },
        { readonly: true },
      );
    });

  log
    .command('prove')
    .description('print an RFC 9162 inclusion proof of <index>, or with --consistency a consistency proof')
    .argument('[index]', 'log index of the entry to prove', parseCount)
    .option(
      '--consistency <size1>',
      'prove the kept checkpoint at size1 is a prefix of --tree-size',
      parseCount,
    )
    .option('--tree-size <n>', 'the kept checkpoint to prove against (default: the latest)', parseCount)
    .action(
      async (
        index: number | undefined,
        opts: { consistency?: number; treeSize?: number },
        command: Command,
      ) => {
        await withDocket(
          command,
          async (docket) => {
            let proof: unknown;
            if (opts.consistency !== undefined) {
              proof = await docket.ledger.proveConsistency(opts.consistency, opts.treeSize);
            } else if (index !== undefined) {
              proof = await docket.ledger.proveInclusion(index, opts.treeSize);
            } else {
              throw new DocketError(CliErrorCode.Usage, 'give an entry index, or --consistency <size1>');
            }
            process.stdout.write(`${JSON.stringify(proof, null, 2)}\n`);
          },
          { readonly: true },
        );
      },
    );

  log
    .command('verify')
    .description(
      'verify every signature, every tree hash and every kept checkpoint, and consistency from every anchored ' +
        'checkpoint (config.json anchors, --anchors-dir) to the current tree; exit 1 naming each problem',
    )
    .option(
      '--anchors-dir <path>',
      'also check the checkpoints anchored in this directory (repeatable)',
      collect,
    )
    .action(async (opts: { anchorsDir?: string[] }, command: Command) => {
      await withDocket(
        command,
        async (docket, out) => {
          const report = await verifyLog(docket.ledger.store, docket.ledger.origin, docket.ledger.verifiers);
          const targets = targetsOf(docket, opts.anchorsDir);
          const anchored = targets.length === 0 ? undefined : await verifyAnchored(docket, targets);
          const ok = report.ok && (anchored === undefined || anchored.ok);
          out.result({ ...report, ok, ...(anchored === undefined ? {} : { anchors: anchored }) }, () =>
            [
              ok ? 'log verified' : 'LOG VERIFICATION FAILED',
              `origin ${report.origin}, ${report.size} entries, ${report.nodesChecked} tree hashes, ${report.checkpointsChecked} checkpoints checked`,
              ...(report.latestCheckpoint === undefined
                ? []
                : [
                    `latest checkpoint: size ${report.latestCheckpoint.size} root ${report.latestCheckpoint.rootHash}`,
                  ]),
              ...report.problems.map((p) => `  ${p.code}: ${p.message}`),
              ...(anchored === undefined
                ? []
                : [
                    `${anchored.anchorsChecked} anchored checkpoints checked against the current tree`,
                    ...anchored.findings.map((f) => `  ${f.code}: ${f.message}`),
                    ...anchored.rejected.map((r) => `  warning: anchor ${r.location} ignored: ${r.reason}`),
                  ]),
            ].join('\n'),
          );
          if (!ok) process.exitCode = ExitCode.CheckFailed;
        },
        { readonly: true },
      );
    });
}

async function verifyAnchored(docket: Docket, targets: AnchorTarget[]) {
  const { listAnchors, verifyAgainstAnchors } = await import('../../audit/anchor/index.js');
  const listing = await listAnchors(targets, docket.ledger);
  const report = await verifyAgainstAnchors(docket.ledger, listing.anchors);
  return {
    ok: report.ok,
    anchorsChecked: report.anchorsChecked,
    findings: report.findings.map((f) => ({ code: f.code, message: f.message })),
    rejected: listing.rejected.map((r) => ({
      location: r.location,
      reason: `${r.error.message} [${r.error.code}]`,
    })),
  };
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Parses a non-negative decimal integer flag strictly (no sign, no leading zeros, no exponent). */
export function parseCount(value: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new DocketError(CliErrorCode.Usage, `${JSON.stringify(value)} is not a non-negative integer`);
  }
  return Number(value);
}
