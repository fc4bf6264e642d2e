import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/test-support/shared.js';
import { runDocket, tempHome } from '../support/run-docket.js';

// An independent implementation must accept docket's output: golang.org/x/mod/sumdb/note verifies the checkpoint
// signature and transparency-dev/merkle verifies the RFC 9162 proofs (test/interop/go/main.go, built by
// scripts/setup/go-interop.sh, which npm test runs).
const verifierBin = resolve(repoRoot, '.cache', 'interop', 'docket-interop');

function goVerify(kind: 'checkpoint' | 'inclusion' | 'consistency', keyFile: string, file: string) {
  const run = spawnSync(verifierBin, [kind, keyFile, file], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function flipBase64Byte(value: string): string {
  const bytes = Buffer.from(value, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

describe('independent Go verifiers accept docket output', () => {
  const home = tempHome();
  const dir = dirname(home);
  const keyFile = join(dir, 'ledger.vkey');
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(() => {
    if (!existsSync(verifierBin)) {
      throw new Error(`${verifierBin} is missing: run scripts/setup/go-interop.sh (npm test does)`);
    }
    expect(runDocket(['init', '--origin', 'interop.docket.local/log'], { home }).status).toBe(0);
    for (let i = 0; i < 7; i++) {
      expect(
        runDocket(['artefact', 'put', '-', '--name', `item-${i}`], { home, input: `item ${i}\n` }).status,
      ).toBe(0);
    }
    writeFileSync(keyFile, runDocket(['log', 'key'], { home }).stdout);
  });

  it('verifies the checkpoint note, and rejects it after a one-byte change', () => {
    const note = runDocket(['log', 'checkpoint'], { home }).stdout;
    const ok = goVerify('checkpoint', keyFile, file('cp', note));
    expect(ok.output).toContain('checkpoint ok: origin=interop.docket.local/log size=7');
    expect(ok.status).toBe(0);
    const lines = note.split('\n');
    lines[2] = flipBase64Byte(lines[2] ?? '');
    expect(goVerify('checkpoint', keyFile, file('cp-bad', lines.join('\n'))).status).toBe(1);
  });

  it('verifies an inclusion proof, and rejects it after a one-byte change', () => {
    for (const index of [0, 3, 6]) {
      const proof = JSON.parse(runDocket(['log', 'prove', String(index)], { home }).stdout);
      const ok = goVerify('inclusion', keyFile, file(`inc-${index}`, JSON.stringify(proof)));
      expect(ok.output).toContain(`inclusion ok: index=${index} size=7`);
      expect(ok.status).toBe(0);
      proof.proof[1] = flipBase64Byte(proof.proof[1]);
      expect(goVerify('inclusion', keyFile, file(`inc-bad-${index}`, JSON.stringify(proof))).status).toBe(1);
    }
  });

  it('verifies a consistency proof between kept checkpoints, and rejects it after a one-byte change', () => {
    for (const size1 of [1, 3, 4]) {
      const proof = JSON.parse(runDocket(['log', 'prove', '--consistency', String(size1)], { home }).stdout);
      const ok = goVerify('consistency', keyFile, file(`con-${size1}`, JSON.stringify(proof)));
      expect(ok.output).toContain(`consistency ok: ${size1} -> 7`);
      expect(ok.status).toBe(0);
      proof.proof[0] = flipBase64Byte(proof.proof[0]);
      expect(goVerify('consistency', keyFile, file(`con-bad-${size1}`, JSON.stringify(proof))).status).toBe(
        1,
      );
    }
  });

  it('rejects a checkpoint signed by a key that is not the log key', () => {
    const other = tempHome();
    runDocket(['init', '--origin', 'interop.docket.local/log'], { home: other });
    const foreign = runDocket(['log', 'checkpoint'], { home: other }).stdout;
    expect(goVerify('checkpoint', keyFile, file('cp-foreign', foreign)).status).toBe(1);
  });
});
