// `npm run demo`: docket's main job on the embedded defaults (SQLite ledger, filesystem artefact store, local
// registry, dev identity), on the real artefacts the credit-decisioning pipeline produced and committed under
// examples/. Every command is printed with its output. It uses a fresh home under .docket-demo/ each time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const home = resolve(process.env.DOCKET_DEMO_HOME ?? join(root, '.docket-demo'));
const example = 'examples/credit-decisioning/artefacts';
const reports = join(relative(root, home), 'reports');
rmSync(home, { recursive: true, force: true });
const started = Date.now();

const tokens = {};
/** Runs `docket`, printing the command (tokens elided) and its output; `--json` output is parsed and returned. */
function docket(args, { as, quiet = false, expectFail = false } = {}) {
  const shown = `${as === undefined ? '' : `DOCKET_TOKEN=<${as}> `}docket ${args.map((a) => (/[\s,]/.test(a) ? `'${a}'` : a)).join(' ')}`;
  console.log(`\n$ ${shown}`);
  const run = spawnSync(process.execPath, [join(root, 'bin', 'docket.js'), ...args], {
    cwd: root,
    env: { ...process.env, DOCKET_HOME: home, ...(as === undefined ? {} : { DOCKET_TOKEN: tokens[as] }) },
    encoding: 'utf8',
  });
  if (!quiet) process.stdout.write(indent(run.stdout));
  if (run.stderr.trim() !== '') process.stdout.write(indent(run.stderr));
  if ((run.status !== 0) !== expectFail) {
    console.error(`\ndemo stopped: exit ${run.status}${expectFail ? ' (a refusal was expected)' : ''}`);
    process.exit(1);
  }
  return args.includes('--json') && run.status === 0 ? JSON.parse(run.stdout) : run.stdout;
}
const indent = (text) => text.replace(/^(?=.)/gm, '  ');
const say = (text) => console.log(`\n# ${text}`);
function mint(subject, groups) {
  tokens[subject] = docket(['dev-identity', subject, '--groups', groups], { quiet: true }).trim();
}

say(
  'A fresh docket home: ledger key, SQLite ledger, artefact store, local registry; dev identity on (demo only).',
);
docket(['init', '--origin', 'demo.docket.local/credit-promotions', '--dev-identity']);
docket(['policy', 'activate', 'examples/policies/credit-risk.yaml']);

say('The registry as the bank has it: credit-decisioning v1 in production, v2 and v3 trained since.');
docket(['registry', 'model', 'create', 'credit-decisioning']);
for (const v of [1, 2, 3]) {
  docket(['registry', 'version', 'register', 'credit-decisioning', `${example}/models/v${v}/model`], {
    quiet: true,
  });
}
docket(['registry', 'alias', 'set', 'credit-decisioning', 'champion', '1']);

say('Evidence goes into the content-addressed store; the ledger records each artefact by digest.');
const put = (path, kind, mediaType) =>
  docket(
    ['artefact', 'put', path, '--kind', kind, ...(mediaType ? ['--media-type', mediaType] : []), '--json'],
    {
      quiet: true,
    },
  ).digest;
const models = [1, 2, 3].map((v) => put(`${example}/models/v${v}/model`, 'model'));
const training = put(`${example}/data/train.csv`, 'dataset', 'text/csv');
const evaluation = put(`${example}/data/eval.csv`, 'dataset', 'text/csv');
mkdirSync(join(home, 'reports'));

/** docket renders the reports the approver sees: same inputs, same bytes, same digest. */
function evidenceFor(from, to) {
  const dir = `${example}/comparisons/v${from}-v${to}`;
  const compare = `${reports}/v${from}-v${to}-compare.html`;
  const explain = `${reports}/v${from}-v${to}-explain-diff.html`;
  docket([
    'report',
    'compare',
    '--champion-metrics',
    `${example}/models/v${from}/metrics.json`,
    '--challenger-metrics',
    `${example}/models/v${to}/metrics.json`,
    '--psi',
    `${dir}/psi.json`,
    '--manifest',
    `${dir}/change-manifest.json`,
    '--policy',
    'examples/policies/credit-risk.yaml',
    '-o',
    compare,
  ]);
  docket([
    'report',
    'explain-diff',
    '--champion',
    `${example}/models/v${from}/explanation.json`,
    '--challenger',
    `${example}/models/v${to}/explanation.json`,
    '-o',
    explain,
  ]);
  return {
    comparison: put(compare, 'comparison', 'text/html'),
    explanation: put(explain, 'explanation', 'text/html'),
    manifest: put(`${dir}/change-manifest.json`, 'change-manifest', 'application/json'),
  };
}
function openRequest(from, to, evidence, as) {
  return docket(
    [
      'request',
      'open',
      '--candidate',
      `local/credit-decisioning@${to}`,
      '--candidate-artefact',
      models[to - 1],
      '--champion',
      `local/credit-decisioning@${from}`,
      '--champion-artefact',
      models[from - 1],
      '--comparison',
      evidence.comparison,
      '--explanation',
      evidence.explanation,
      '--training-dataset',
      training,
      '--evaluation-dataset',
      evaluation,
      '--change-manifest',
      evidence.manifest,
      '--json',
    ],
    { as, quiet: true },
  );
}
const review = (id, kind, as) =>
  docket(['review', id, kind, '-o', join(home, `seen-${as}-${id}-${kind}`)], { as });

mint('dana', 'ml-platform-approvers');
mint('alice', 'credit-model-owners');
mint('bob', 'model-risk-management');
for (const member of ['carol', 'dave', 'erin']) mint(member, 'model-risk-committee');
console.log(
  '\n  (dev tokens minted for dana, alice, bob, carol, dave, erin; their groups map to roles in the policy)',
);

say('v1 -> v2: same features, re-tuned. dana opens the request; the classifier runs at once.');
const e12 = evidenceFor(1, 2);
const r12 = openRequest(1, 2, e12, 'dana');
docket(['artefact', 'ls']);
docket(['request', 'show', r12.id ?? r12.request?.id]);
const id12 = r12.id ?? r12.request?.id;

say(
  'alice (model owner) approves without opening the explanation the class requires: refused, nothing recorded.',
);
review(id12, 'comparison', 'alice');
review(id12, 'change-manifest', 'alice');
docket(['decide', 'approve', id12, '--comment', 'AUC and KS up, Brier down'], {
  as: 'alice',
  expectFail: true,
});
review(id12, 'explanation', 'alice');
docket(['decide', 'approve', id12, '--comment', 'AUC and KS up, Brier down'], { as: 'alice' });

say('bob (risk) reviews and approves: that click completes the approvals and is the promotion.');
for (const kind of ['comparison', 'change-manifest', 'explanation']) review(id12, kind, 'bob');
docket(['decide', 'approve', id12, '--comment', 'score PSI 0.27 explained by regularisation; accepted'], {
  as: 'bob',
});
docket(['registry', 'alias', 'show', 'credit-decisioning']);
docket(['gate', 'credit-decisioning', '2']);

say(
  'Which challenger comparison did the approvers review before v2 went to production? From the record alone:',
);
docket(['audit', 'credit-decisioning', '2']);
docket(['log', 'verify']);

say(
  'v2 -> v3: the feature set changed. Class 3: the committee must approve; promotion is blocked until then.',
);
const e23 = evidenceFor(2, 3);
const id23 = (() => {
  const r = openRequest(2, 3, e23, 'dana');
  return r.id ?? r.request?.id;
})();
const class3 = ['comparison', 'change-manifest', 'explanation', 'training-dataset', 'evaluation-dataset'];
for (const who of ['alice', 'carol', 'dave']) {
  for (const kind of class3) review(id23, kind, who);
  docket(['decide', 'approve', id23], { as: who });
}
docket(['gate', 'credit-decisioning', '3'], { expectFail: true });
for (const kind of class3) review(id23, kind, 'erin');
docket(['decide', 'approve', id23, '--comment', 'committee quorum reached'], { as: 'erin' });
docket(['registry', 'alias', 'show', 'credit-decisioning']);
docket(['gate', 'credit-decisioning', '3']);
docket(['log', 'verify']);
docket(['artefact', 'verify']);

console.log(
  `\ndemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s; the home is ${relative(root, home)}/`,
);
