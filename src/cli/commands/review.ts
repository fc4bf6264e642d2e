import type { Command } from 'commander';
import { type ViewReceipt, viewEvidence, viewEvidenceToFile } from '../../approvals/requests/index.js';
import { DocketError } from '../../errors/index.js';
import { withDocket } from '../context.js';
import { APPROVAL_EXIT_CODES_HELP, TOKEN_OPTION_HELP, tokenFrom } from './approval-options.js';

export function registerReviewCommand(program: Command): void {
  program
    .command('review')
    .description('review evidence of a request: records a view receipt, then writes the verified bytes out')
    .argument('<request>', 'request id (req-...)')
    .argument(
      '<evidence>',
      'comparison, explanation, training-dataset, evaluation-dataset, change-manifest, or a digest',
    )
    .option('-o, --output <file>', 'write to this new file (default: standard output, receipt on stderr)')
    .option('--force', 'replace an existing output file')
    .option('--token <token>', TOKEN_OPTION_HELP)
    .addHelpText('after', APPROVAL_EXIT_CODES_HELP)
    .action(
      async (
        requestId: string,
        evidence: string,
        opts: { output?: string; force?: boolean; token?: string },
        command: Command,
      ) => {
        const token = tokenFrom(opts);
        await withDocket(command, async (docket, out) => {
          const input = { requestId, token, evidence };
          if (opts.output !== undefined) {
            const receipt = await viewEvidenceToFile(docket.approvals, {
              ...input,
              path: opts.output,
              ...(opts.force === true ? { overwrite: true } : {}),
            });
            out.result(
              receipt,
              () => `${receiptLine(receipt)}\nwrote ${receipt.servedSize} bytes to ${opts.output}`,
            );
            return;
          }
          if (out.json) {
            throw new DocketError(
              'ERR_CLI_USAGE',
              '--json prints the receipt on stdout: give -o <file> for the bytes',
            );
          }
          const { receipt, bytes } = await viewEvidence(docket.approvals, input);
          process.stderr.write(`${receiptLine(receipt)}\n`);
          await new Promise<void>((resolve, reject) =>
            process.stdout.write(bytes, (err) => (err ? reject(err) : resolve())),
          );
        });
      },
    );
}

function receiptLine(r: ViewReceipt): string {
  return `view of ${r.evidenceKinds.join('+')} ${r.artefactDigest} by ${r.viewer.subject} recorded at log index ${r.index} (served ${r.servedDigest})`;
}
