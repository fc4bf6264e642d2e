// The main job on embedded defaults (SQLite ledger, filesystem artefacts): a short tour that prints each
// command and its output. It uses a fresh home under .docket-demo/ so it can be run again and again.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const home = join(root, '.docket-demo');
rmSync(home, { recursive: true, force: true });

function docket(...args) {
  console.log(`\n$ docket ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [join(root, 'bin', 'docket.js'), ...args], {
    cwd: root,
    env: { ...process.env, DOCKET_HOME: home },
    encoding: 'utf8',
  });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (run.status !== 0) {
    console.error(`(exit ${run.status})`);
    process.exit(run.status ?? 1);
  }
  return run.stdout;
}

console.log(`docket tour: a fresh home in ${home} (DOCKET_HOME)`);
docket('init', '--origin', 'demo.docket.local/promotions');
docket('artefact', 'put', 'examples/tour/model', '--kind', 'model', '--name', 'credit-model-v1');
docket('artefact', 'put', 'examples/tour/scores.csv', '--kind', 'dataset', '--media-type', 'text/csv');
docket('artefact', 'ls');
docket('log', 'checkpoint');
docket('log', 'entry', '1');
docket('log', 'prove', '1');
docket('log', 'prove', '--consistency', '1');
docket('log', 'verify');
docket('artefact', 'verify');
console.log(
  '\nEvery entry above is a DSSE envelope signed by the ledger key; `docket log key` prints its verifier key.',
);
