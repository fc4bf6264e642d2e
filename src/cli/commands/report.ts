import { join } from 'node:path';
import type { Command } from 'commander';
import { DocketError } from '../../errors/index.js';
import {
  loadComparisonInputs,
  loadExplanationDiffInputs,
  renderComparisonReport,
  renderExplanationDiff,
  writeReport,
} from '../../reports/index.js';
import { globals } from '../context.js';
import { ExitCode } from '../exit-codes.js';

const REPORT_EXIT_CODES_HELP = `
Exit codes:
  ${ExitCode.Ok}   the report was written; its digest is printed
  ${ExitCode.Usage}   the command line is wrong (unknown flag, missing option)
  ${ExitCode.Refused}   an input was refused (ERR_REPORT_*: unreadable, not JSON, invalid field, inputs inconsistent) or the report could not be written
  ${ExitCode.Internal}  unexpected failure`;

interface CompareOptions {
  championMetrics: string;
  challengerMetrics: string;
  psi?: string;
  manifest?: string;
  comparisonDir?: string;
  policy: string;
  output: string;
}

interface ExplainDiffOptions {
  champion: string;
  challenger: string;
  output: string;
}

// --comparison-dir names the folder the pipeline writes psi.json and change-manifest.json into; an explicit
// --psi or --manifest wins over it.
function comparisonFile(
  explicit: string | undefined,
  dir: string | undefined,
  name: string,
  flag: string,
): string {
  if (explicit !== undefined) return explicit;
  if (dir !== undefined) return join(dir, name);
  throw new DocketError('ERR_CLI_USAGE', `${flag} is required (or --comparison-dir holding ${name})`);
}

export function registerReportCommands(program: Command): void {
  const report = program
    .command('report')
    .description(
      'render the deterministic HTML reports an approver reviews (same inputs, same bytes, same digest)',
    );

  report
    .command('compare')
    .description(
      'render the challenger comparison: classification under the policy, metrics against the drift envelope, PSI, calibration, segments',
    )
    .requiredOption('--champion-metrics <file>', "champion's metrics snapshot, e.g. models/v1/metrics.json")
    .requiredOption(
      '--challenger-metrics <file>',
      "challenger's metrics snapshot, e.g. models/v2/metrics.json",
    )
    .option('--psi <file>', 'PSI table, e.g. comparisons/v1-v2/psi.json')
    .option('--manifest <file>', 'change manifest, e.g. comparisons/v1-v2/change-manifest.json')
    .option(
      '--comparison-dir <dir>',
      'folder holding psi.json and change-manifest.json (instead of --psi, --manifest)',
    )
    .requiredOption('--policy <file>', 'policy YAML the classification is computed under')
    .requiredOption('-o, --output <file>', 'where to write the HTML report')
    .addHelpText('after', REPORT_EXIT_CODES_HELP)
    .action(async (opts: CompareOptions, command: Command) => {
      const { out } = globals(command);
      const inputs = await loadComparisonInputs({
        championMetrics: opts.championMetrics,
        challengerMetrics: opts.challengerMetrics,
        psi: comparisonFile(opts.psi, opts.comparisonDir, 'psi.json', '--psi'),
        manifest: comparisonFile(opts.manifest, opts.comparisonDir, 'change-manifest.json', '--manifest'),
        policy: opts.policy,
      });
      const written = await writeReport(opts.output, renderComparisonReport(inputs));
      out.result({ path: opts.output, ...written }, () =>
        [`wrote ${opts.output} (${written.bytes} bytes)`, `digest ${written.digest}`].join('\n'),
      );
    });

  report
    .command('explain-diff')
    .description(
      'render the explanation diff: features that gained or lost rank, features added or removed, partial dependence',
    )
    .requiredOption('--champion <file>', "champion's explanation bundle, e.g. models/v1/explanation.json")
    .requiredOption('--challenger <file>', "challenger's explanation bundle, e.g. models/v2/explanation.json")
    .requiredOption('-o, --output <file>', 'where to write the HTML report')
    .addHelpText('after', REPORT_EXIT_CODES_HELP)
    .action(async (opts: ExplainDiffOptions, command: Command) => {
      const { out } = globals(command);
      const inputs = await loadExplanationDiffInputs({
        champion: opts.champion,
        challenger: opts.challenger,
      });
      const written = await writeReport(opts.output, renderExplanationDiff(inputs));
      out.result({ path: opts.output, ...written }, () =>
        [`wrote ${opts.output} (${written.bytes} bytes)`, `digest ${written.digest}`].join('\n'),
      );
    });
}
