// Summarises a V8 CPU profile (`node --cpu-prof`): where the time went, by function and by source file.
// usage: node bench/profile-summary.js <file.cpuprofile> [top N]
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');

/**
 * @typedef {object} ProfileNode
 * @property {number} id
 * @property {{ functionName: string, url: string, lineNumber: number }} callFrame
 * @property {number[]} [children]
 */

const [path, topText] = process.argv.slice(2);
if (path === undefined) {
  process.stderr.write('usage: node bench/profile-summary.js <file.cpuprofile> [top N]\n');
  process.exit(2);
}
const top = Number(topText ?? 25);
const profile = /** @type {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} */ (
  JSON.parse(readFileSync(path, 'utf8'))
);

/** @type {Map<number, ProfileNode>} */
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
/** @type {Map<number, number>} */
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

const totalUs = profile.timeDeltas.reduce((a, b) => a + b, 0);

/** @param {ProfileNode} node */
const where = (node) => {
  const url = node.callFrame.url;
  const file = url.startsWith('file://') ? relative(repoRoot, fileURLToPath(url)) : url || '(native)';
  return file;
};
/** @param {ProfileNode} node */
const label = (node) =>
  `${node.callFrame.functionName || '(anonymous)'} ${where(node)}:${node.callFrame.lineNumber + 1}`;

/** @type {Map<string, number>} */
const selfByFunction = new Map();
/** @type {Map<string, number>} */
const selfByFile = new Map();
/** @type {Map<string, number>} time with the function anywhere on the stack, counted once per sample */
const inclusive = new Map();
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  const leaf = /** @type {ProfileNode} */ (byId.get(id));
  selfByFunction.set(label(leaf), (selfByFunction.get(label(leaf)) ?? 0) + us);
  selfByFile.set(where(leaf), (selfByFile.get(where(leaf)) ?? 0) + us);
  const seen = new Set();
  for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parentOf.get(at)) {
    const key = label(/** @type {ProfileNode} */ (byId.get(at)));
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
});

/**
 * @param {string} title
 * @param {Map<string, number>} table
 */
function print(title, table) {
  process.stdout.write(`\n${title} (of ${(totalUs / 1000).toFixed(0)} ms sampled)\n`);
  for (const [key, us] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(
      `${((100 * us) / totalUs).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}\n`,
    );
  }
}

print('self time by function', selfByFunction);
print('self time by file', selfByFile);
print('inclusive time by function', inclusive);
