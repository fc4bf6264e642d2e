import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestData } from '../../src/approvals/change-manifest/test-support/manifest-fixtures.js';
import { APPROVALS_TEST_POLICY_YAML } from '../../src/approvals/requests/test-support/approvals-fixture.js';
import { repoRoot } from '../../src/test-support/shared.js';
import { cliSession } from '../support/cli-session.js';
import { tempHome } from '../support/run-docket.js';

// Each step spawns the binary (~0.5 s, more on a loaded machine).
const SLOW = 240_000;

/** `docket audit` through the built binary: a class 1 request promoted by its completing approval, then tampered. */
describe('docket audit', () => {
  let home: string;
  let work: string;
  const { docket, json, file, put, modelDir, mint } = cliSession(
    () => home,
    () => work,
  );
  const blobPath = (digest: string): string => {
    const hex = digest.replace(/^sha256:/, '');
    return join(home, 'artefacts', 'blobs', 'sha256', hex.slice(0, 2), hex.slice(2));
  };

  beforeAll(() => {
    expect(() => readFileSync(join(repoRoot, 'dist', 'cli', 'main.js'))).not.toThrow();
  });

  it(
    'a promoted version audits as evidence (exit 0), a changed comparison as broken (exit 1), an unknown one exit 3',
    () => {
      home = tempHome();
      work = mkdtempSync(join(tmpdir(), 'docket-cli-audit-'));
      expect(docket(['init', '--dev-identity', '--origin', 'cli.docket.local/audit']).status).toBe(0);
      json(['policy', 'activate', file('policy.yaml', APPROVALS_TEST_POLICY_YAML)]);
      const v1 = modelDir('credit-v1', 'weights of version 1');
      const v2 = modelDir('credit-v2', 'weights of version 2');
      json(['registry', 'model', 'create', 'credit']);
      json(['registry', 'version', 'register', 'credit', v1]);
      json(['registry', 'version', 'register', 'credit', v2]);
      json(['registry', 'alias', 'set', 'credit', 'champion', '1']);
      const training = put(file('training.csv', 'age,income\n30,52000\n'), 'dataset');
      const evaluation = put(file('evaluation.csv', 'age,income\n35,48000\n'), 'dataset');
      const manifest = manifestData();
      manifest.challenger.datasets = { training, evaluation };
      manifest.challenger.model = 'credit';
      manifest.champion.model = 'credit';
      manifest.challenger.version = '2';
      manifest.champion.version = '1';
      const comparison = put(file('comparison.html', '<html>v2 vs v1</html>\n'), 'comparison');
      const tokens = { rita: mint('rita', 'ml-engineers'), alice: mint('alice', 'approvers') };
      // biome-ignore format: one flag and its value a line
      const opened = json([
        'request', 'open',
        '--candidate', 'local/credit@2', '--candidate-artefact', put(v2, 'model'),
        '--champion', 'local/credit@1', '--champion-artefact', put(v1, 'model'),
        '--comparison', comparison,
        '--explanation', put(file('explanation.json', '{"shap":[]}\n'), 'explanation'),
        '--training-dataset', training, '--evaluation-dataset', evaluation,
        '--change-manifest', put(file('change-manifest.json', JSON.stringify(manifest)), 'change-manifest'),
        '--token', tokens.rita,
      ]);
      for (const kind of ['comparison', 'change-manifest']) {
        json(['review', opened.id, kind, '-o', join(work, `seen-${kind}`), '--token', tokens.alice]);
      }
      expect(json(['decide', 'approve', opened.id, '--token', tokens.alice]).promotion.state).toBe(
        'promoted',
      );

      const report = json(['audit', 'credit', '2']);
      expect(report.ok).toBe(true);
      expect(report.events[0].references.map((r: { verdict: string }) => r.verdict)).toEqual(
        Array(6).fill('evidence'),
      );
      expect(report.events[0].approvers[0]).toMatchObject({
        identity: { subject: 'alice' },
        roles: ['model-owner'],
      });
      const text = docket(['audit', 'credit', '2', '--registry', 'local']);
      expect(text.status, text.stderr).toBe(0);
      expect(text.stdout).toContain('EVIDENCE local/credit@2');
      expect(text.stdout).toContain('alice');
      expect(text.stdout).toMatch(/opened comparison/);
      expect(text.stdout).toMatch(/1 -> 2 applied/);

      const html = docket(['audit', 'credit', '2', '--html']);
      expect(html.status, html.stderr).toBe(0);
      expect(html.stdout).toMatch(/^<!doctype html>/);
      expect(html.stdout).not.toMatch(/<script|https?:\/\//i);

      const blob = blobPath(comparison);
      chmodSync(blob, 0o644);
      writeFileSync(blob, '<html>v2 vs v1, edited</html>\n');
      const broken = json(['audit', 'credit', '2'], 1);
      const comparisonVerdict = broken.events[0].references.find(
        (r: { reference: string }) => r.reference === 'comparison',
      );
      expect(comparisonVerdict.verdict).toBe('broken');
      expect(comparisonVerdict.reasons.join('\n')).toContain('artefact bytes changed');
      const brokenText = docket(['audit', 'credit', '2']);
      expect(brokenText.status).toBe(1);
      expect(brokenText.stdout).toMatch(/comparison\s+broken/);

      const none = docket(['audit', 'credit', '1', '--json']);
      expect(none.status).toBe(3);
      expect(none.stdout + none.stderr).toContain('ERR_AUDIT_NO_EVENT');
    },
    SLOW,
  );
});
