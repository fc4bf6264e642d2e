import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manifestData } from '../../src/approvals/change-manifest/test-support/manifest-fixtures.js';
import { APPROVALS_TEST_POLICY_YAML } from '../../src/approvals/requests/test-support/approvals-fixture.js';
import { runDocket, tempHome } from '../support/run-docket.js';

// Each step spawns the binary (~0.5 s, more on a loaded machine); the walk-throughs take dozens of steps.
const SLOW = 240_000;

/**
 * The approval commands through the built `docket` binary, with the dev identity of the embedded demo: a class 1
 * request from open to approved, and every refusal coded, exiting 3 (2 for the command line) and recording nothing.
 */
describe('docket policy / request / review / decide / dev-identity', () => {
  let home: string;
  let work: string;
  const docket = (args: string[]) => runDocket(args, { home });
  const json = (args: string[]) => {
    const run = docket([...args, '--json']);
    expect(run.status, `${args.join(' ')}: ${run.stderr}${run.stdout}`).toBe(0);
    return JSON.parse(run.stdout);
  };
  // Read straight from the database (read-only): a spawn per check would double the run time.
  const size = (): number => {
    const db = new Database(join(home, 'ledger.db'), { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM entries').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  /** Runs a command that must be refused with `code` and exit `status`, and checks the ledger did not grow. */
  const refused = (args: string[], code: string, status = 3) => {
    const before = size();
    const run = docket(args);
    expect(run.status, run.stderr).toBe(status);
    expect(run.stderr).toContain(code);
    expect(size()).toBe(before);
    return run;
  };
  const file = (name: string, content: string): string => {
    const path = join(work, name);
    writeFileSync(path, content);
    return path;
  };
  const put = (name: string, content: string, kind: string): string =>
    json(['artefact', 'put', file(name, content), '--kind', kind]).digest as string;
  const mint = (subject: string, groups: string): string => {
    const run = docket(['dev-identity', subject, '--groups', groups]);
    expect(run.status, run.stderr).toBe(0);
    return run.stdout.trim();
  };

  beforeAll(() => {
    expect(() => readFileSync(join(__dirname, '..', '..', 'dist', 'cli', 'main.js'))).not.toThrow();
  });
  afterEach(() => {
    delete process.env.DOCKET_TOKEN;
  });

  describe('in a home with the dev identity enabled', () => {
    let tokens: Record<string, string>;
    let openArgs: string[];
    let evidence: Record<string, string>;

    const setUp = () => {
      home = tempHome();
      work = mkdtempSync(join(tmpdir(), 'docket-cli-work-'));
      expect(docket(['init', '--dev-identity', '--origin', 'cli.docket.local/approvals']).status).toBe(0);
      expect(json(['policy', 'activate', file('policy.yaml', APPROVALS_TEST_POLICY_YAML)])).toMatchObject({
        name: 'approvals-test',
        appended: true,
      });
      const training = put('training.csv', 'age,income\n30,52000\n', 'dataset');
      const evaluation = put('evaluation.csv', 'age,income\n35,48000\n', 'dataset');
      const manifest = manifestData();
      manifest.challenger.datasets = { training, evaluation };
      evidence = {
        comparison: put('comparison.html', '<html>v17 vs v16</html>\n', 'comparison'),
        explanation: put('explanation.json', '{"shap":[]}\n', 'explanation'),
        training,
        evaluation,
        manifest: put('change-manifest.json', JSON.stringify(manifest), 'change-manifest'),
      };
      openArgs = [
        'request',
        'open',
        '--candidate',
        'local/credit-decisioning@17',
        '--candidate-artefact',
        put('model-17.bin', 'weights 17', 'model'),
        '--champion',
        'local/credit-decisioning@16',
        '--champion-artefact',
        put('model-16.bin', 'weights 16', 'model'),
        '--comparison',
        evidence.comparison as string,
        '--explanation',
        evidence.explanation as string,
        '--training-dataset',
        training,
        '--evaluation-dataset',
        evaluation,
        '--change-manifest',
        evidence.manifest as string,
        '--ticket',
        'MRM-1234',
      ];
      tokens = {
        rita: mint('rita', 'ml-engineers'),
        alice: mint('alice', 'approvers'),
        bob: mint('bob', 'risk'),
      };
    };

    it(
      'drives a class 1 request from open to approved, refusing each rule violation on the way',
      () => {
        setUp();
        refused([...openArgs], 'ERR_CLI_USAGE', 2); // no token
        process.env.DOCKET_TOKEN = tokens.rita;
        const opened = json(openArgs);
        delete process.env.DOCKET_TOKEN;
        expect(opened).toMatchObject({
          state: 'open',
          dev: true,
          ticket: 'MRM-1234',
          requester: { issuer: 'urn:docket:dev-identity', subject: 'rita' },
          classification: { class: 1 },
        });
        const id = opened.id as string;

        const listed = json(['request', 'list', '--awaiting-me', '--token', tokens.alice as string]);
        expect(listed.map((r: { id: string; toReview: string[] }) => [r.id, r.toReview])).toEqual([
          [id, ['comparison', 'change-manifest']],
        ]);
        expect(json(['request', 'list', '--awaiting-me', '--token', tokens.rita as string])).toEqual([]);

        const early = refused(
          ['decide', 'approve', id, '--token', tokens.alice as string],
          'ERR_DECISION_VIEW_MISSING',
        );
        expect(early.stderr).toContain('comparison, change-manifest');

        const out = join(work, 'seen-comparison.html');
        const receipt = json(['review', id, 'comparison', '-o', out, '--token', tokens.alice as string]);
        expect(receipt).toMatchObject({
          artefactDigest: evidence.comparison,
          servedDigest: evidence.comparison,
          viewer: { subject: 'alice' },
        });
        expect(readFileSync(out, 'utf8')).toBe('<html>v17 vs v16</html>\n');
        const toStdout = docket(['review', id, 'change-manifest', '--token', tokens.alice as string]);
        expect(toStdout.status, toStdout.stderr).toBe(0);
        expect(JSON.parse(toStdout.stdout)).toMatchObject({ formatVersion: 1 });
        expect(toStdout.stderr).toContain('view of change-manifest');
        refused(
          ['review', id, 'comparison', '-o', out, '--token', tokens.alice as string],
          'ERR_ARTEFACT_OUTPUT_EXISTS',
        );
        refused(['review', id, 'model', '--token', tokens.alice as string], 'ERR_REQUEST_EVIDENCE_UNKNOWN');

        for (const kind of ['comparison', 'change-manifest']) {
          expect(
            docket(['review', id, kind, '-o', join(work, `rita-${kind}`), '--token', tokens.rita as string])
              .status,
          ).toBe(0);
        }
        refused(['decide', 'approve', id, '--token', tokens.rita as string], 'ERR_DECISION_OWN_REQUEST');
        refused(
          [
            'decide',
            'approve',
            id,
            '--evidence',
            `comparison=${evidence.explanation}`,
            '--token',
            tokens.alice as string,
          ],
          'ERR_DECISION_STALE_EVIDENCE',
        );
        refused(
          ['decide', 'approve', id, '--evidence', 'chart=sha256:00', '--token', tokens.alice as string],
          'ERR_CLI_USAGE',
          2,
        );

        const decided = json([
          'decide',
          'approve',
          id,
          '--comment',
          'within appetite',
          '--token',
          tokens.alice as string,
        ]);
        expect(decided).toMatchObject({
          decision: 'approve',
          identity: { issuer: 'urn:docket:dev-identity', subject: 'alice' },
          roles: ['model-owner'],
          dev: true,
          state: 'approved',
          approvalsComplete: true,
          requirements: { complete: true, missing: [] },
        });
        const entry = json(['log', 'entry', String(decided.index)]);
        expect(entry.statement.predicate).toMatchObject({
          dev: true,
          comment: 'within appetite',
          evidence: { comparison: evidence.comparison },
        });
        expect(JSON.stringify(entry)).not.toContain(tokens.alice);

        refused(['decide', 'reject', id, '--token', tokens.bob as string], 'ERR_DECISION_REQUEST_CLOSED');
        const shown = json(['request', 'show', id]);
        expect(shown).toMatchObject({ state: 'approved', approvalsComplete: true });
        expect(shown.entries.map((e: { type: string }) => e.type)).toEqual([
          'request',
          'classification',
          'view',
          'view',
          'view',
          'view',
          'decision',
        ]);
        const text = docket(['request', 'show', id]);
        expect(text.stdout).toContain(`request ${id}  APPROVED  [dev identity]`);
        expect(text.stdout).toContain('approved by alice [model-owner]');
        expect(json(['request', 'list', '--state', 'approved']).map((r: { id: string }) => r.id)).toEqual([
          id,
        ]);
        expect(json(['request', 'list', '--model', 'local/credit-decisioning'])).toHaveLength(1);
      },
      SLOW,
    );

    it(
      'refuses bad policy files, missing evidence, malformed and foreign tokens, and withdrawals by others',
      () => {
        setUp();
        const bad = refused(
          ['policy', 'check', file('bad.yaml', 'formatVersion: 1\nname: [unclosed\n')],
          'ERR_POLICY_YAML_SYNTAX',
        );
        expect(bad.stderr).toMatch(/bad\.yaml:\d+:\d+: /);
        const unknown = refused(
          [
            'policy',
            'activate',
            file('typo.yaml', APPROVALS_TEST_POLICY_YAML.replace('drift:', 'drfit: {}\ndrift:')),
          ],
          'ERR_POLICY_INVALID',
        );
        expect(unknown.stderr).toContain('drfit');
        refused(['policy', 'check', join(work, 'absent.yaml')], 'ERR_CLI_USAGE', 2);

        const missing = openArgs.map((a) => (a === evidence.explanation ? `sha256:${'0'.repeat(64)}` : a));
        refused([...missing, '--token', tokens.rita as string], 'ERR_REQUEST_EVIDENCE_MISSING');
        refused(
          [
            ...openArgs.map((a) => (a === 'local/credit-decisioning@17' ? 'credit-decisioning' : a)),
            '--token',
            tokens.rita as string,
          ],
          'ERR_CLI_USAGE',
          2,
        );
        refused([...openArgs, '--token', 'garbage'], 'ERR_IDENTITY_TOKEN_MALFORMED');
        const opened = json([...openArgs, '--token', tokens.rita as string]);
        refused(
          ['request', 'withdraw', opened.id, '--token', tokens.alice as string],
          'ERR_REQUEST_NOT_REQUESTER',
        );
        expect(
          json(['request', 'withdraw', opened.id, '--reason', 'rerun', '--token', tokens.rita as string]),
        ).toMatchObject({ state: 'withdrawn' });
        refused(['review', opened.id, 'comparison', '--token', tokens.alice as string], 'ERR_REQUEST_CLOSED');
        refused(['request', 'show', 'req-0000000000'], 'ERR_REQUEST_NOT_FOUND');

        // A token minted by another home's dev key is refused here: same issuer name, unknown key.
        const mine = home;
        home = tempHome();
        expect(docket(['init', '--dev-identity']).status).toBe(0);
        const foreign = mint('alice', 'approvers');
        home = mine;
        refused(['review', opened.id, 'comparison', '--token', foreign], 'ERR_IDENTITY_UNKNOWN_KEY');
      },
      SLOW,
    );
  });

  it('mints dev tokens only when the home enables the dev identity explicitly, and refuses dev tokens otherwise', () => {
    home = tempHome();
    work = mkdtempSync(join(tmpdir(), 'docket-cli-work-'));
    expect(docket(['init']).status).toBe(0);
    const refusal = docket(['dev-identity', 'alice', '--groups', 'approvers']);
    expect(refusal.status).toBe(3);
    expect(refusal.stderr).toContain('ERR_IDENTITY_DEV_DISABLED');
    expect(refusal.stdout).toBe('');

    const devHome = tempHome();
    const saved = home;
    home = devHome;
    expect(docket(['init', '--dev-identity']).status).toBe(0);
    const token = docket(['dev-identity', 'alice', '--groups', 'approvers']).stdout.trim();
    home = saved;
    expect(json(['policy', 'activate', file('policy.yaml', APPROVALS_TEST_POLICY_YAML)])).toMatchObject({
      appended: true,
    });
    const denied = docket(['request', 'list', '--awaiting-me', '--token', token]);
    expect(denied.status).toBe(3);
    expect(denied.stderr).toContain('ERR_IDENTITY_DEV_DISABLED');
  });
});
