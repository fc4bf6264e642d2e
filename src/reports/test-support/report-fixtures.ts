import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { repoRoot } from '../../test-support/shared.js';
import type { ComparisonInputFiles, ExplanationDiffInputFiles } from '../load-inputs.js';

/** The committed example pipeline output the reports are rendered from. */
export const ARTEFACTS = join(repoRoot, 'examples', 'credit-decisioning', 'artefacts');
export const POLICY_FILE = join(repoRoot, 'examples', 'policies', 'credit-risk.yaml');
export const EXAMPLE_REPORTS = join(repoRoot, 'examples', 'credit-decisioning', 'reports');

/** The two comparisons of the example: champion and challenger versions. */
export const COMPARISONS = [
  ['1', '2'],
  ['2', '3'],
] as const;

export function comparisonFiles(champion: string, challenger: string): ComparisonInputFiles {
  return {
    championMetrics: join(ARTEFACTS, 'models', `v${champion}`, 'metrics.json'),
    challengerMetrics: join(ARTEFACTS, 'models', `v${challenger}`, 'metrics.json'),
    psi: join(ARTEFACTS, 'comparisons', `v${champion}-v${challenger}`, 'psi.json'),
    manifest: join(ARTEFACTS, 'comparisons', `v${champion}-v${challenger}`, 'change-manifest.json'),
    policy: POLICY_FILE,
  };
}

export function explanationFiles(champion: string, challenger: string): ExplanationDiffInputFiles {
  return {
    champion: join(ARTEFACTS, 'models', `v${champion}`, 'explanation.json'),
    challenger: join(ARTEFACTS, 'models', `v${challenger}`, 'explanation.json'),
  };
}

export async function readJsonFile(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

/** A deep copy with every object's keys in reverse order (arrays keep theirs: their order is data). */
export function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(out, key, {
      value: reverseKeys((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

export async function scratchDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'docket-reports-'));
}

/**
 * Writes a copy of the comparison inputs with every key order reversed (and the policy re-serialised as YAML
 * with reversed keys and other layout) into `dir`, and returns the files.
 */
export async function reorderedComparisonFiles(
  files: ComparisonInputFiles,
  dir: string,
): Promise<ComparisonInputFiles> {
  const copy = async (name: keyof ComparisonInputFiles, target: string): Promise<string> => {
    const path = join(dir, target);
    await writeFile(path, `${JSON.stringify(reverseKeys(await readJsonFile(files[name])), null, 1)}\n`);
    return path;
  };
  const policy = join(dir, 'policy.yaml');
  const policyData = parse(await readFile(files.policy, 'utf8')) as unknown;
  await writeFile(policy, stringify(reverseKeys(policyData), { indent: 4 }));
  return {
    championMetrics: await copy('championMetrics', 'champion-metrics.json'),
    challengerMetrics: await copy('challengerMetrics', 'challenger-metrics.json'),
    psi: await copy('psi', 'psi.json'),
    manifest: await copy('manifest', 'change-manifest.json'),
    policy,
  };
}

/** Sets `value` at `path` inside a JSON document (creating nothing: the parent must exist). */
export function setAt(document: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** Renames a key everywhere it appears (object keys and string values equal to it). */
export function renameEverywhere(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value === from ? to : value;
  if (Array.isArray(value)) return value.map((v) => renameEverywhere(v, from, to));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    Object.defineProperty(out, key === from ? to : key, {
      value: renameEverywhere(v, from, to),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Decodes the five character references escapeHtml writes. */
export function decodeText(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
    .trim();
}

/** The text of every cell of the first table row, inside the section `id`, whose first cell reads `first`. */
export function rowCells(markup: string, sectionId: string, first: string): string[] {
  const start = markup.indexOf(`<section id="${sectionId}">`);
  if (start < 0) throw new Error(`no section ${sectionId}`);
  const section = markup.slice(start, markup.indexOf('</section>', start));
  for (const row of section.match(/<tr[^>]*>[\s\S]*?<\/tr>/g) ?? []) {
    const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => decodeText(m[1] ?? ''));
    if (cells[0] === first) return cells;
  }
  throw new Error(`no row ${first} in section ${sectionId}`);
}
