import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSignerKeyFile } from '../../src/keys/index.js';
import { Ledger, verifyLog } from '../../src/ledger/index.js';
import { SqliteLogStore } from '../../src/ledger/sqlite/index.js';
import { startS3Server, type TestS3Server } from '../../src/test-support/s3-server.js';
import { runDocket, tempHome } from '../support/run-docket.js';

/** The operator with database access rebuilds the log wholesale: same key, other entries, every check passes. */
async function rewriteLogWholesale(home: string): Promise<void> {
  const signer = readSignerKeyFile(join(home, 'keys', 'ledger.key'));
  const forged = join(home, 'forged.db');
  const store = SqliteLogStore.open(forged, { create: true });
  const ledger = new Ledger({ store, signer });
  await ledger.initialise();
  for (let i = 0; i < 4; i++) {
    await ledger.append([
      {
        type: 'artefact',
        subject: [{ name: `forged-${i}`, digest: `sha256:${String(i).repeat(64)}` }],
        predicate: { kind: 'other', name: `forged-${i}` },
      },
    ]);
  }
  await store.close();
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      renameSync(`${forged}${suffix}`, join(home, `ledger.db${suffix}`));
    } catch {}
  }
}

describe('docket anchor and log verify against anchors', () => {
  let s3: TestS3Server;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it('anchors to a directory and an S3 bucket with Object Lock, and detects a log rewritten wholesale', async () => {
    const home = tempHome();
    const anchorsDir = join(dirname(home), 'anchors');
    mkdirSync(anchorsDir);
    const env = {
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    };
    const docket = (args: string[], input?: string) =>
      runDocket(args, input === undefined ? { home, env } : { home, env, input });
    expect(docket(['init', '--origin', 'anchor.docket.local/log']).status).toBe(0);
    const bucket = await s3.createBucket({ objectLock: true });
    const configPath = join(home, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    config.anchors = [
      { kind: 's3', bucket, endpoint: s3.endpoint, region: s3.region, prefix: 'anchors/', retentionDays: 1 },
    ];
    writeFileSync(configPath, JSON.stringify(config));

    for (let i = 0; i < 3; i++)
      expect(docket(['artefact', 'put', '-', '--name', `e${i}`], `evidence ${i}`).status).toBe(0);
    const anchored = docket(['anchor', '--dir', anchorsDir, '--json']);
    expect(anchored.status).toBe(0);
    const result = JSON.parse(anchored.stdout);
    expect(result.size).toBe(3);
    expect(result.anchors.map((a: { ok: boolean }) => a.ok)).toEqual([true, true]);
    expect(readdirSync(join(anchorsDir, 'anchor.docket.local%2Flog'))).toEqual(['3.checkpoint']);
    expect(JSON.parse(docket(['anchor', '--dir', anchorsDir, '--json']).stdout).anchors[0].created).toBe(
      false,
    );

    docket(['artefact', 'put', '-', '--name', 'later'], 'later evidence');
    const verified = docket(['log', 'verify', '--anchors-dir', anchorsDir]);
    expect(verified.stdout).toContain('2 anchored checkpoints checked');
    expect(verified.status).toBe(0);

    await rewriteLogWholesale(home);
    // On its own the forged log is flawless: only the anchors outside the database expose it.
    const store = SqliteLogStore.open(join(home, 'ledger.db'), { readonly: true });
    const signer = readSignerKeyFile(join(home, 'keys', 'ledger.key'));
    const internal = await verifyLog(
      store,
      'anchor.docket.local/log',
      new Ledger({ store, signer }).verifiers,
    );
    await store.close();
    expect(internal.problems).toEqual([]);
    const rewritten = docket(['log', 'verify', '--anchors-dir', anchorsDir]);
    expect(rewritten.status).toBe(1);
    expect(rewritten.stdout).toContain('LOG VERIFICATION FAILED');
    expect(rewritten.stdout.match(/LOG_REWRITTEN/g)?.length).toBe(2);
    expect(rewritten.stdout).toContain('s3://');
  });

  it('refuses to anchor with no target configured (exit 2), and names an unreachable target (exit 1)', () => {
    const home = tempHome();
    expect(runDocket(['init'], { home }).status).toBe(0);
    const none = runDocket(['anchor'], { home });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no anchor targets');
    const missing = runDocket(['anchor', '--dir', join(dirname(home), 'does-not-exist')], { home });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain('FAILED');
  });
});
