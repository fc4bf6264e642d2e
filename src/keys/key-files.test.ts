import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDocketError } from '../errors/index.js';
import { KeyErrorCode } from './errors.js';
import {
  readSignerKeyFile,
  readVerifierKeyFile,
  writeSignerKeyFile,
  writeVerifierKeyFile,
} from './key-files.js';
import { formatSignerKey, generateSigner } from './signer.js';
import { errorCodeOf } from './test-support/error-code.js';

const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'docket-keys-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function secretFile(content: string, mode = 0o600): string {
  const path = join(dir, 'ledger.key');
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}

describe('writeSignerKeyFile / readSignerKeyFile', () => {
  it('writes the signer key string with mode 0600 and reads the same key back', () => {
    const signer = generateSigner('example.com/ledger');
    const path = join(dir, 'ledger.key');
    writeSignerKeyFile(path, signer);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(`${formatSignerKey(signer)}\n`);
    const read = readSignerKeyFile(path);
    expect(read.verifierKey).toBe(signer.verifierKey);
    const message = new TextEncoder().encode('x\n');
    expect(read.sign(message)).toEqual(signer.sign(message));
  });

  it('refuses to overwrite an existing file, and leaves it as it was', () => {
    const path = secretFile('keep me');
    expect(errorCodeOf(() => writeSignerKeyFile(path, generateSigner('a')))).toBe(KeyErrorCode.FileExists);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });

  it('refuses to write through a symlink, even a dangling one', () => {
    const path = join(dir, 'link.key');
    symlinkSync(join(dir, 'elsewhere.key'), path);
    expect(errorCodeOf(() => writeSignerKeyFile(path, generateSigner('a')))).toBe(KeyErrorCode.FileExists);
  });

  it('reports a missing directory as an I/O error', () => {
    expect(errorCodeOf(() => writeSignerKeyFile(join(dir, 'no', 'such.key'), generateSigner('a')))).toBe(
      KeyErrorCode.FileIo,
    );
  });

  it('accepts the key with or without one trailing newline, and modes 0400 and 0700', () => {
    expect(readSignerKeyFile(secretFile(PETER_SKEY)).verifierKey).toBe(PETER_VKEY);
    rmSync(join(dir, 'ledger.key'));
    expect(readSignerKeyFile(secretFile(`${PETER_SKEY}\n`, 0o400)).verifierKey).toBe(PETER_VKEY);
    rmSync(join(dir, 'ledger.key'));
    expect(readSignerKeyFile(secretFile(PETER_SKEY, 0o700)).verifierKey).toBe(PETER_VKEY);
  });

  it.each([0o640, 0o604, 0o660, 0o644, 0o610, 0o601])(
    'refuses a signer key file with mode %o (group or world permission)',
    (mode) => {
      const path = secretFile(PETER_SKEY, mode);
      try {
        readSignerKeyFile(path);
        expect.unreachable();
      } catch (err) {
        expect(isDocketError(err, KeyErrorCode.FilePermissions)).toBe(true);
        expect(isDocketError(err) && err.details.path).toBe(path);
      }
    },
  );

  it.each([
    ['empty', ''],
    ['garbage', 'not a key'],
    ['a CRLF ending', `${PETER_SKEY}\r\n`],
    ['two newlines', `${PETER_SKEY}\n\n`],
    ['two keys', `${PETER_SKEY}\n${PETER_SKEY}\n`],
    ['leading space', ` ${PETER_SKEY}`],
    ['a verifier key', PETER_VKEY],
    ['huge content', 'A'.repeat(100_000)],
  ])('refuses a signer key file that is %s', (_why, content) => {
    const path = secretFile(content);
    expect(errorCodeOf(() => readSignerKeyFile(path))).toBe(KeyErrorCode.Malformed);
  });

  it('refuses content that is not UTF-8', () => {
    const path = join(dir, 'ledger.key');
    writeFileSync(path, Buffer.from([0xff, 0xfe, 0x41]), { mode: 0o600 });
    expect(errorCodeOf(() => readSignerKeyFile(path))).toBe(KeyErrorCode.Malformed);
  });

  it('names the file in a content error', () => {
    const path = secretFile(PETER_SKEY.replace('c74f20a3', 'c74f20a4'));
    try {
      readSignerKeyFile(path);
      expect.unreachable();
    } catch (err) {
      expect(isDocketError(err, KeyErrorCode.IdMismatch)).toBe(true);
      expect(isDocketError(err) && err.details.path).toBe(path);
    }
  });

  it('reports a missing file and a directory with their own codes', () => {
    expect(errorCodeOf(() => readSignerKeyFile(join(dir, 'absent.key')))).toBe(KeyErrorCode.FileNotFound);
    mkdirSync(join(dir, 'sub'), { mode: 0o700 });
    expect(errorCodeOf(() => readSignerKeyFile(join(dir, 'sub')))).toBe(KeyErrorCode.FileIo);
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO without blocking on it', () => {
    const path = join(dir, 'fifo.key');
    execFileSync('mkfifo', ['-m', '600', path]);
    expect(errorCodeOf(() => readSignerKeyFile(path))).toBe(KeyErrorCode.FileIo);
  });
});

describe('writeVerifierKeyFile / readVerifierKeyFile', () => {
  it('writes the public half with mode 0644 from a signer and reads it back as a verifier', () => {
    const signer = generateSigner('example.com/ledger');
    const path = join(dir, 'ledger.pub');
    writeVerifierKeyFile(path, signer);
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(readFileSync(path, 'utf8')).toBe(`${signer.verifierKey}\n`);
    const verifier = readVerifierKeyFile(path);
    const message = new TextEncoder().encode('x\n');
    expect(verifier.verify(message, signer.sign(message))).toBe(true);
    expect(errorCodeOf(() => writeVerifierKeyFile(path, signer))).toBe(KeyErrorCode.FileExists);
  });

  it('refuses to write a malformed verifier key, and to read a malformed file', () => {
    const path = join(dir, 'bad.pub');
    expect(errorCodeOf(() => writeVerifierKeyFile(path, { verifierKey: 'nope' }))).toBe(
      KeyErrorCode.Malformed,
    );
    writeFileSync(path, `${PETER_SKEY}\n`);
    expect(errorCodeOf(() => readVerifierKeyFile(path))).toBe(KeyErrorCode.Malformed);
  });

  it('does not require a verifier key file to be private', () => {
    const path = join(dir, 'peter.pub');
    writeFileSync(path, `${PETER_VKEY}\n`, { mode: 0o644 });
    expect(readVerifierKeyFile(path).keyIdHex).toBe('c74f20a3');
  });
});
