import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestData } from '../../src/approvals/change-manifest/test-support/manifest-fixtures.js';
import { APPROVALS_TEST_POLICY_YAML } from '../../src/approvals/requests/test-support/approvals-fixture.js';
import { freePort } from '../../src/registries/test-support/mlflow-server.js';
import { repoRoot } from '../../src/test-support/shared.js';
import { cliSession } from '../support/cli-session.js';
import { type RunResult, tempHome } from '../support/run-docket.js';

// Each step spawns the binary (~0.5 s, more on a loaded machine); a walk-through takes a few dozen.
const SLOW = 240_000;
const EXPLICIT_POLICY_YAML = `${APPROVALS_TEST_POLICY_YAML}promotion:\n  mode: explicit\n`;

/** Runs the built binary without blocking, so that two can race. */
function runDocketAsync(args: string[], home: string): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(repoRoot, 'bin', 'docket.js'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, DOCKET_HOME: home },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (status) => done({ status: status ?? -1, stdout, stderr }));
  });
}

/**
 * `docket decide` (the approval click is the promotion), `promote`, `promote --resume`, `reconcile` and `gate`
 * through the built binary, with the embedded local registry and the dev identity. After every failure the test
 * reads the ledger (entry types) and the registry (the alias and its history) straight from their databases.
 */
describe('docket promote / reconcile / gate', () => {
  let home: string;
  let work: string;
  const { docket, json, file, put, modelDir, mint } = cliSession(
    () => home,
    () => work,
  );
  const types = (): string[] => {
    const db = new Database(join(home, 'ledger.db'), { readonly: true });
    try {
      return (db.prepare('SELECT record_type AS t FROM entries ORDER BY idx').all() as { t: string }[]).map(
        (r) => r.t,
      );
    } finally {
      db.close();
    }
  };
  const count = (type: string) => types().filter((t) => t === type).length;
  const alias = (): { version: string; moves: string[] } => {
    const shown = json(['registry', 'alias', 'show', 'credit', 'champion']);
    const history = json(['registry', 'alias', 'history', 'credit', 'champion']) as {
      fromVersion?: string;
      toVersion?: string;
    }[];
    return {
      version: shown[0]?.version,
      moves: history.map((c) => `${c.fromVersion ?? '-'}->${c.toVersion ?? '-'}`),
    };
  };

  /**
   * A home with the local registry holding credit v1 (champion) and v2, both also stored as artefacts, the policy
   * `policyYaml` active, and a class 1 request for v2 that alice has reviewed. `registry` goes into config.json.
   */
  const setUp = (policyYaml: string, registry?: Record<string, unknown>) => {
    home = tempHome();
    work = mkdtempSync(join(tmpdir(), 'docket-cli-promotion-'));
    expect(docket(['init', '--dev-identity', '--origin', 'cli.docket.local/promotion']).status).toBe(0);
    if (registry !== undefined) {
      const configPath = join(home, 'config.json');
      const config = JSON.parse(readFileSync(configPath, 'utf8'));
      writeFileSync(configPath, JSON.stringify({ ...config, registry }, null, 2));
    }
    json(['policy', 'activate', file('policy.yaml', policyYaml)]);
    const v1 = modelDir('credit-v1', 'weights of version 1');
    const v2 = modelDir('credit-v2', 'weights of version 2');
    const registryName =
      (registry?.name as string | undefined) ?? (registry?.kind === 'mlflow' ? 'mlflow' : 'local');
    if (registryName === 'local') {
      json(['registry', 'model', 'create', 'credit']);
      expect(json(['registry', 'version', 'register', 'credit', v1]).version).toBe('1');
      expect(json(['registry', 'version', 'register', 'credit', v2]).version).toBe('2');
      json(['registry', 'alias', 'set', 'credit', 'champion', '1']);
    }
    const training = put(file('training.csv', 'age,income\n30,52000\n'), 'dataset');
    const evaluation = put(file('evaluation.csv', 'age,income\n35,48000\n'), 'dataset');
    const manifest = manifestData();
    manifest.challenger.datasets = { training, evaluation };
    manifest.challenger.model = 'credit';
    manifest.champion.model = 'credit';
    manifest.challenger.version = '2';
    manifest.champion.version = '1';
    const evidence = {
      comparison: put(file('comparison.html', '<html>v2 vs v1</html>\n'), 'comparison'),
      explanation: put(file('explanation.json', '{"shap":[]}\n'), 'explanation'),
      manifest: put(file('change-manifest.json', JSON.stringify(manifest)), 'change-manifest'),
    };
    const tokens = { rita: mint('rita', 'ml-engineers'), alice: mint('alice', 'approvers') };
    const opened = json([
      'request',
      'open',
      '--candidate',
      `${registryName}/credit@2`,
      '--candidate-artefact',
      put(v2, 'model'),
      '--champion',
      `${registryName}/credit@1`,
      '--champion-artefact',
      put(v1, 'model'),
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
      '--token',
      tokens.rita,
    ]);
    for (const kind of ['comparison', 'change-manifest']) {
      json(['review', opened.id, kind, '-o', join(work, `seen-${kind}`), '--token', tokens.alice]);
    }
    return { id: opened.id as string, tokens };
  };

  beforeAll(() => {
    expect(() => readFileSync(join(repoRoot, 'dist', 'cli', 'main.js'))).not.toThrow();
  });

  it(
    'the completing approval promotes; gate passes it and refuses the champion; a hand move is reconciled',
    () => {
      const { id, tokens } = setUp(APPROVALS_TEST_POLICY_YAML);
      const decided = json(['decide', 'approve', id, '--token', tokens.alice]);
      expect(decided).toMatchObject({
        state: 'approved',
        approvalsComplete: true,
        promotion: {
          status: 'promoted',
          state: 'promoted',
          event: { model: { registry: 'local', model: 'credit', version: '2' }, trigger: 'approval' },
          transition: { outcome: 'applied', reason: 'promotion', fromVersion: '1', toVersion: '2' },
        },
      });
      expect(types().slice(-3)).toEqual(['decision', 'promotion', 'transition']);
      expect(alias()).toEqual({ version: '2', moves: ['-->1', '1->2'] });
      expect(json(['promote', id, '--status'])).toMatchObject({ state: 'promoted' });

      const gate = json(['gate', 'credit', '2']);
      expect(gate).toMatchObject({
        ok: true,
        registry: 'local',
        promotion: { requestId: id, class: 1, approvers: [{ subject: 'alice' }] },
        transition: { outcome: 'applied' },
        problems: [],
      });
      const refused = json(['gate', 'credit', '1'], 1);
      expect(refused).toMatchObject({ ok: false, promotion: null });
      const text = docket(['gate', 'credit', '1']);
      expect(text.status).toBe(1);
      expect(text.stdout).toContain('FAIL local/credit@1: do not deploy');

      const before = types().length;
      const again = docket(['promote', id]);
      expect(again.status).toBe(3);
      expect(again.stderr).toContain('ERR_PROMOTION_ALREADY_PROMOTED');
      const resumed = json(['promote', id, '--resume']);
      expect(resumed.transition).toBeUndefined();
      expect(types().length).toBe(before);
      expect(alias().moves).toEqual(['-->1', '1->2']);

      // An admin moves the alias back by hand: reconcile reports it, --enforce restores the attested version.
      json(['registry', 'alias', 'set', 'credit', 'champion', '1']);
      const report = json(['reconcile'], 1);
      expect(report.findings).toEqual([
        expect.objectContaining({ kind: 'unattested', model: 'credit', found: '1' }),
      ]);
      expect(report.findings[0].attested).toMatchObject({ version: '2', requestId: id });
      expect(types().length).toBe(before);
      const enforced = json(['reconcile', '--enforce']);
      expect(enforced).toMatchObject({ ok: true, enforced: true });
      expect(alias()).toEqual({ version: '2', moves: ['-->1', '1->2', '2->1', '1->2'] });
      const restore = json(['log', 'entry', String(enforced.findings[0].enforcement.transition.index)]);
      expect(restore.statement.predicate).toMatchObject({
        reason: 'reconcile',
        outcome: 'applied',
        fromVersion: '1',
        toVersion: '2',
        requestId: id,
      });
      expect(json(['reconcile'])).toMatchObject({ ok: true, findings: [] });
      expect(docket(['reconcile']).stdout).toContain('OK');
    },
    SLOW,
  );

  it(
    'promotion.mode explicit: decide approves only; two racing promote processes write one event and move once',
    async () => {
      const { id, tokens } = setUp(EXPLICIT_POLICY_YAML);
      const decided = json(['decide', 'approve', id, '--token', tokens.alice]);
      expect(decided.promotion).toEqual({ status: 'not-run', reason: 'explicit-mode' });
      expect(alias().version).toBe('1');
      const text = docket(['promote', id, '--status']);
      expect(text.stdout).toContain('no promotion event');

      const runs = await Promise.all([
        runDocketAsync(['promote', id], home),
        runDocketAsync(['promote', id], home),
      ]);
      const statuses = runs.map((r) => r.status).sort();
      expect(statuses, runs.map((r) => r.stderr).join('\n')).toEqual([0, 3]);
      const loser = runs.find((r) => r.status === 3) as RunResult;
      expect(loser.stderr).toMatch(/ERR_PROMOTION_(ALREADY_PROMOTED|PENDING)/);
      expect(count('promotion')).toBe(1);
      expect(count('transition')).toBe(1);
      expect(alias()).toEqual({ version: '2', moves: ['-->1', '1->2'] });
      expect(json(['promote', id, '--status'])).toMatchObject({ state: 'promoted' });
    },
    SLOW,
  );

  it(
    'the registry move fails after the event write: exit 5, transition pending; --resume completes it once',
    () => {
      const { id, tokens } = setUp(EXPLICIT_POLICY_YAML);
      json(['decide', 'approve', id, '--token', tokens.alice]);
      // Another writer holds the local registry's write lock: reads work (WAL), the move times out.
      const lock = new Database(join(home, 'registry.db'));
      lock.prepare('BEGIN IMMEDIATE').run();
      let pending: RunResult;
      try {
        pending = docket(['promote', id, '--json']);
      } finally {
        lock.prepare('ROLLBACK').run();
        lock.close();
      }
      expect(pending.status, pending.stderr).toBe(5);
      expect(JSON.parse(pending.stdout)).toMatchObject({
        state: 'transition-pending',
        transition: { outcome: 'failed', error: { code: 'ERR_REGISTRY_STORE_FAILED' } },
      });
      expect(types().slice(-2)).toEqual(['promotion', 'transition']);
      expect(alias()).toEqual({ version: '1', moves: ['-->1'] });
      expect(json(['promote', id, '--status'])).toMatchObject({ state: 'transition-pending' });
      const refused = docket(['promote', id]);
      expect(refused.status).toBe(3);
      expect(refused.stderr).toContain('ERR_PROMOTION_PENDING');
      const gate = json(['gate', 'credit', '2'], 1);
      expect(gate.problems.join('\n')).toContain('no applied transition');

      const resumed = json(['promote', id, '--resume']);
      expect(resumed).toMatchObject({
        state: 'promoted',
        transition: { reason: 'resume', outcome: 'applied' },
      });
      expect(alias()).toEqual({ version: '2', moves: ['-->1', '1->2'] });
      const size = types().length;
      expect(json(['promote', id, '--resume']).transition).toBeUndefined();
      expect(types().length).toBe(size);
      expect(alias().moves).toEqual(['-->1', '1->2']);
      expect(json(['gate', 'credit', '2']).ok).toBe(true);
    },
    SLOW,
  );

  it(
    'an MLflow registry configured in config.json and unreachable: refused before the event write, nothing written',
    async () => {
      const port = await freePort(); // nothing listens there
      const { id, tokens } = setUp(EXPLICIT_POLICY_YAML, {
        kind: 'mlflow',
        trackingUri: `http://127.0.0.1:${port}`,
        timeoutMs: 2000,
        target: 'champion',
      });
      json(['decide', 'approve', id, '--token', tokens.alice]);
      const size = types().length;
      const run = docket(['promote', id]);
      expect(run.status, run.stderr).toBe(3);
      expect(run.stderr).toContain('ERR_REGISTRY_UNREACHABLE');
      expect(types().length).toBe(size);
      expect(json(['promote', id, '--status'])).toMatchObject({ state: 'none' });
      // The deployment gate reads the ledger only: it answers without the registry.
      expect(json(['gate', 'credit', '2'], 1)).toMatchObject({ ok: false, registry: 'mlflow' });

      const configPath = join(home, 'config.json');
      const config = JSON.parse(readFileSync(configPath, 'utf8'));
      writeFileSync(
        configPath,
        JSON.stringify({ ...config, registry: { kind: 'mlflow', trackingUri: 'x', tag: 1 } }),
      );
      const invalid = docket(['promote', id]);
      expect(invalid.status).toBe(4);
      expect(invalid.stderr).toContain('ERR_HOME_CONFIG_INVALID');
    },
    SLOW,
  );
});
