import { open } from 'node:fs/promises';
import { parseChangeManifest } from '../approvals/change-manifest/index.js';
import { type LoadedPolicy, loadPolicy } from '../approvals/policy/index.js';
import { isDocketError } from '../errors/index.js';
import type { ComparisonReportInputs } from './comparison-inputs.js';
import { REPORT_ERRORS } from './errors.js';
import type { ExplanationDiffInputs } from './explanation-diff-inputs.js';
import { reportInputError } from './input-node.js';
import { parseModelExplanation } from './model-explanation.js';
import { parseModelMetrics } from './model-metrics.js';
import { parsePsiTable } from './psi-table.js';

/** Largest input file the loaders read (the example's largest is about 21 kB). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** The files of a comparison report. */
export interface ComparisonInputFiles {
  readonly championMetrics: string;
  readonly challengerMetrics: string;
  readonly psi: string;
  readonly manifest: string;
  readonly policy: string;
}

/** The files of an explanation diff. */
export interface ExplanationDiffInputFiles {
  readonly champion: string;
  readonly challenger: string;
}

/**
 * Reads an input file as UTF-8 text, refusing a missing, oversized or non-UTF-8 file with a coded error. The size
 * is checked before reading, so a huge file is never read into memory.
 */
export async function readInputText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_INPUT_BYTES) {
        throw reportInputError(
          REPORT_ERRORS.INPUT_TOO_LARGE,
          path,
          '',
          `is ${size} bytes; at most ${MAX_INPUT_BYTES} are accepted`,
          undefined,
          { maxBytes: MAX_INPUT_BYTES },
        );
      }
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (cause) {
    if (isDocketError(cause)) throw cause;
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw reportInputError(REPORT_ERRORS.INPUT_UNREADABLE, path, '', `cannot be read (${reason})`, cause);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw reportInputError(REPORT_ERRORS.INPUT_NOT_JSON, path, '', 'is not UTF-8 text', cause);
  }
}

/** Parses JSON text, turning a syntax error into ERR_REPORT_INPUT_NOT_JSON naming the file. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw reportInputError(REPORT_ERRORS.INPUT_NOT_JSON, file, '', `is not JSON (${reason})`, cause);
  }
}

async function readJson(path: string): Promise<unknown> {
  return parseJsonText(await readInputText(path), path);
}

// The manifest and policy parsers have their own coded errors; the report names the file and the first field.
function rethrowAsInputError(err: unknown, file: string, what: string): never {
  if (!isDocketError(err)) throw err;
  const issues = Array.isArray(err.details.issues) ? (err.details.issues as { path?: unknown }[]) : [];
  const first = issues[0]?.path;
  throw reportInputError(
    REPORT_ERRORS.INPUT_INVALID,
    file,
    typeof first === 'string' ? first : '',
    `is not a valid ${what} (${err.code}): ${err.message}`,
    err,
  );
}

/** Loads a change manifest file (schemas/change-manifest.schema.json). */
export async function loadChangeManifest(path: string): Promise<ComparisonReportInputs['manifest']> {
  const value = await readJson(path);
  try {
    return parseChangeManifest(value);
  } catch (err) {
    return rethrowAsInputError(err, path, 'change manifest');
  }
}

/** Loads a policy file (YAML, schemas/policy.schema.json). */
export async function loadPolicyFile(path: string): Promise<LoadedPolicy> {
  const text = await readInputText(path);
  try {
    return loadPolicy(text, { sourceName: path });
  } catch (err) {
    return rethrowAsInputError(err, path, 'policy');
  }
}

/**
 * Reads and parses every input of a comparison report; each problem is a coded ERR_REPORT_* error naming the
 * file and field. The result is what {@link renderComparisonReport} takes; errors name the files by these paths.
 *
 * @example
 * const inputs = await loadComparisonInputs({
 *   championMetrics: 'models/v1/metrics.json', challengerMetrics: 'models/v2/metrics.json',
 *   psi: 'comparisons/v1-v2/psi.json', manifest: 'comparisons/v1-v2/change-manifest.json',
 *   policy: 'policies/credit-risk.yaml',
 * });
 */
export async function loadComparisonInputs(files: ComparisonInputFiles): Promise<ComparisonReportInputs> {
  const [championMetrics, challengerMetrics, psi, manifest, policy] = await Promise.all([
    readJson(files.championMetrics).then((v) => parseModelMetrics(v, files.championMetrics)),
    readJson(files.challengerMetrics).then((v) => parseModelMetrics(v, files.challengerMetrics)),
    readJson(files.psi).then((v) => parsePsiTable(v, files.psi)),
    loadChangeManifest(files.manifest),
    loadPolicyFile(files.policy),
  ]);
  return { championMetrics, challengerMetrics, psi, manifest, policy, sourceNames: { ...files } };
}

/**
 * Reads and parses the two explanation bundles of an explanation diff.
 *
 * @example
 * const inputs = await loadExplanationDiffInputs({ champion: 'models/v1/explanation.json', challenger: 'models/v2/explanation.json' });
 */
export async function loadExplanationDiffInputs(
  files: ExplanationDiffInputFiles,
): Promise<ExplanationDiffInputs> {
  const [champion, challenger] = await Promise.all([
    readJson(files.champion).then((v) => parseModelExplanation(v, files.champion)),
    readJson(files.challenger).then((v) => parseModelExplanation(v, files.challenger)),
  ]);
  return { champion, challenger };
}
