import { type Stats, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Command, Option } from 'commander';
import { parseDigest } from '../../digest/index.js';
import { DocketError } from '../../errors/index.js';
import {
  ARTEFACT_KINDS,
  missingRecordedArtefacts,
  parseArtefactKind,
  registerArtefact,
} from '../../evidence/index.js';
import { withDocket } from '../context.js';
import { CliErrorCode } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { progressBar } from '../output.js';

/** The source of a put must exist; a missing path is the caller's mistake, not a crash. */
function sourceStat(source: string): Stats {
  try {
    return statSync(source);
  } catch (cause) {
    throw new DocketError(
      CliErrorCode.Usage,
      `cannot read ${source}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      {
        cause,
      },
    );
  }
}

export function registerArtefactCommands(program: Command): void {
  const artefact = program.command('artefact').description('the content-addressed evidence store');

  artefact
    .command('put')
    .description('store a file, a directory or stdin (-) and record it in the ledger')
    .argument('<source>', 'a file, a directory, or - for standard input')
    .addOption(
      new Option('--kind <kind>', 'what the artefact is').choices([...ARTEFACT_KINDS]).default('other'),
    )
    .option('--name <name>', 'a label for people (default: the file name)')
    .option(
      '--media-type <type>',
      'media type (default: application/octet-stream, or the directory manifest type)',
    )
    .action(
      async (source: string, opts: { kind: string; name?: string; mediaType?: string }, command: Command) => {
        await withDocket(command, async (docket, out) => {
          const isStdin = source === '-';
          const isDir = !isStdin && sourceStat(source).isDirectory();
          const name = opts.name ?? (isStdin ? 'stdin' : basename(source));
          const onProgress = progressBar(`storing ${name}`, out.json);
          const result = await registerArtefact(docket.ledger, docket.artefacts, {
            source: isStdin
              ? { kind: 'stream', stream: process.stdin }
              : isDir
                ? { kind: 'directory', path: source }
                : { kind: 'file', path: source },
            kind: parseArtefactKind(opts.kind),
            name,
            ...(opts.mediaType === undefined ? {} : { mediaType: opts.mediaType }),
            registeredBy: { kind: 'local-user', name: userInfo().username },
            ...(onProgress === undefined ? {} : { onProgress }),
          });
          out.result(
            result,
            () =>
              `${result.digest}  ${result.size} bytes  ${result.appended ? `recorded at log index ${result.index}` : `already recorded at log index ${result.index}`}`,
          );
        });
      },
    );

  artefact
    .command('get')
    .description('write an artefact out, verifying its bytes while streaming')
    .argument('<digest>', 'sha256:<64 hex>')
    .option('-o, --output <path>', 'file or directory to write (default: stdout for a file artefact)')
    .option('--directory', 'the artefact is a directory manifest: restore the directory at --output')
    .action(async (digest: string, opts: { output?: string; directory?: boolean }, command: Command) => {
      await withDocket(
        command,
        async (docket, out) => {
          if (opts.directory === true) {
            if (opts.output === undefined) {
              throw new DocketError(CliErrorCode.Usage, 'restoring a directory needs --output <dir>');
            }
            await docket.artefacts.getDirectory(parseDigest(digest), opts.output);
            out.info(`restored ${digest} into ${opts.output}`);
            return;
          }
          if (opts.output === undefined) {
            await pipeline(await docket.artefacts.get(parseDigest(digest)), process.stdout);
            return;
          }
          await docket.artefacts.getToFile(parseDigest(digest), opts.output);
          out.info(`wrote ${digest} to ${opts.output}`);
        },
        { readonly: true },
      );
    });

  artefact
    .command('verify')
    .description('re-hash every stored artefact (fsck); exit 1 naming each one that no longer matches')
    .action(async (_opts: unknown, command: Command) => {
      await withDocket(
        command,
        async (docket, out) => {
          const report = await docket.artefacts.verify();
          const missing = await missingRecordedArtefacts(docket.ledger, docket.artefacts);
          const ok = report.problems.length === 0 && missing.length === 0;
          out.result({ ...report, ok, missing }, () =>
            [
              `${report.blobs} blobs (${report.bytes} bytes, ${report.manifests} directory manifests) re-hashed, ${report.problems.length} problem(s)`,
              ...report.problems.map((p) => `  ${p.kind}: ${p.message}`),
              `every artefact the ledger records is present${missing.length === 0 ? '' : `: NO, ${missing.length} missing`}`,
              ...missing.map(
                (m) => `  missing: ${m.digest} (${m.kind} ${m.name}, recorded at log index ${m.index})`,
              ),
            ].join('\n'),
          );
          if (!ok) process.exitCode = ExitCode.CheckFailed;
        },
        { readonly: true },
      );
    });

  artefact
    .command('ls')
    .description('list the artefacts recorded in the ledger')
    .action(async (_opts: unknown, command: Command) => {
      await withDocket(
        command,
        async (docket, out) => {
          const rows: Record<string, unknown>[] = [];
          for (const index of await docket.ledger.find('type', 'artefact')) {
            const entry = await docket.ledger.readEntry(index);
            const p = entry.statement.predicate as Record<string, unknown>;
            const subject = entry.statement.subject[0];
            rows.push({
              index,
              digest: `sha256:${subject?.digest.sha256 ?? ''}`,
              kind: p.kind,
              name: p.name,
              size: p.size,
              mediaType: p.mediaType,
              recordedAt: entry.recordedAt,
            });
          }
          out.result(rows, () =>
            rows.length === 0
              ? 'no artefacts recorded'
              : rows.map((r) => `${r.index}\t${r.digest}\t${r.kind}\t${r.size}\t${r.name}`).join('\n'),
          );
        },
        { readonly: true },
      );
    });
}
