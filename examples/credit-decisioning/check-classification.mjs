// Classifies the example's change manifests with docket's own classifier (the built library in dist/) under
// examples/policies/credit-risk.yaml, prints each class with its reasons, and fails unless v1->v2 is class 1 or 2
// and v2->v3 is class 3. Run `npm run build` first, then: node examples/credit-decisioning/check-classification.mjs
// An argument names another artefacts directory (default: this example's artefacts/).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const artefacts = resolve(process.argv[2] ?? join(here, 'artefacts'));

const dist = (path) => import(join(repo, 'dist', path));
const { parseChangeManifest } = await dist('approvals/change-manifest/index.js');
const { classifyChange } = await dist('approvals/classifier/index.js');
const { loadPolicy } = await dist('approvals/policy/index.js');

const policyFile = join(repo, 'examples', 'policies', 'credit-risk.yaml');
const { policy } = loadPolicy(readFileSync(policyFile, 'utf8'), {
  sourceName: 'examples/policies/credit-risk.yaml',
});

const expected = [
  { comparison: 'v1-v2', classes: [1, 2] },
  { comparison: 'v2-v3', classes: [3] },
];
let failed = false;
for (const { comparison, classes } of expected) {
  const file = join(artefacts, 'comparisons', comparison, 'change-manifest.json');
  const manifest = parseChangeManifest(JSON.parse(readFileSync(file, 'utf8')));
  const verdict = classifyChange(manifest, policy);
  const ok = classes.includes(verdict.class);
  failed ||= !ok;
  console.log(
    `${comparison}: class ${verdict.class} (expected ${classes.join(' or ')})${ok ? '' : '  MISMATCH'}`,
  );
  for (const reason of verdict.reasons) console.log(`  - [${reason.rule}] ${reason.message}`);
}
process.exit(failed ? 1 : 0);
