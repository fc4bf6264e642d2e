import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { manifestDigest } from './directory-manifest.js';
import { directoryManifest, walkDirectory } from './directory-walk.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'docket-walk-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeTree(
  root: string,
  files: Record<string, string>,
  order: 'forward' | 'reverse',
): Promise<void> {
  const entries = Object.entries(files);
  if (order === 'reverse') entries.reverse();
  for (const [path, content] of entries) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

const HELLO = 'sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03'; // sha256sum of "hello\n"
const EMPTY = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('directoryManifest', () => {
  it('describes a tree with relative, sorted paths and a digest over its canonical bytes', async () => {
    await writeTree(dir, { 'b/empty': '', 'a.txt': 'hello\n' }, 'forward');
    await mkdir(join(dir, 'empty-dir'));
    const manifest = await directoryManifest(dir);
    const text =
      `{"files":[{"digest":"${HELLO}","path":"a.txt","size":6},{"digest":"${EMPTY}","path":"b/empty","size":0}],` +
      '"mediaType":"application/vnd.docket.directory-manifest.v1+json"}';
    expect(canonicalJson(manifest)).toBe(text);
    expect(manifestDigest(manifest)).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
  });

  it('sorts by UTF-8 bytes and ignores creation order, mtimes and permissions', async () => {
    const files = {
      'z.bin': 'z',
      'a/b': 'ab',
      'a-b': 'a-b',
      'é/x': 'e',
      '\uFB33': 'dalet',
      '😀': 'emoji',
      'A.txt': 'upper',
    };
    const one = join(dir, 'one');
    const two = join(dir, 'two');
    await writeTree(one, files, 'forward');
    await writeTree(two, files, 'reverse');
    await utimes(join(two, 'z.bin'), new Date(0), new Date(0));
    await chmod(join(two, 'a-b'), 0o600);
    const [first, second] = [await directoryManifest(one), await directoryManifest(two)];
    expect(second).toEqual(first);
    expect(first.files.map((entry) => entry.path)).toEqual([
      'A.txt',
      'a-b',
      'a/b',
      'z.bin',
      'é/x',
      '\uFB33',
      '😀',
    ]);
  });

  it('reports progress over the whole tree', async () => {
    await writeTree(dir, { a: 'x'.repeat(10), 'b/c': 'y'.repeat(5) }, 'forward');
    const seen: [number, number | undefined][] = [];
    await directoryManifest(dir, { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.at(-1)).toEqual([15, 15]);
  });

  it('refuses a symlink inside the tree, naming it', async () => {
    await writeTree(dir, { 'model/weights': 'w' }, 'forward');
    await symlink('/etc/passwd', join(dir, 'model', 'passwd'));
    await expect(directoryManifest(join(dir, 'model'))).rejects.toMatchObject({
      code: 'ERR_DIGEST_SYMLINK',
      details: { path: 'passwd' },
    });
  });

  it('refuses a symlink to a directory too', async () => {
    await writeTree(dir, { 'model/weights': 'w', 'elsewhere/x': 'x' }, 'forward');
    await symlink(join(dir, 'elsewhere'), join(dir, 'model', 'linked'));
    await expect(walkDirectory(join(dir, 'model'))).rejects.toMatchObject({ code: 'ERR_DIGEST_SYMLINK' });
  });

  it('refuses a FIFO and a socket, naming them', async () => {
    await writeTree(dir, { 'm/sub/weights': 'w' }, 'forward');
    execFileSync('mkfifo', [join(dir, 'm', 'sub', 'pipe')]);
    await expect(directoryManifest(join(dir, 'm'))).rejects.toMatchObject({
      code: 'ERR_DIGEST_SPECIAL_FILE',
      details: { path: 'sub/pipe', kind: 'FIFO' },
    });
    await rm(join(dir, 'm', 'sub', 'pipe'));
    const server = createServer();
    await new Promise<void>((done) => server.listen(join(dir, 'm', 'sock'), done));
    try {
      await expect(walkDirectory(join(dir, 'm'))).rejects.toMatchObject({
        code: 'ERR_DIGEST_SPECIAL_FILE',
        details: { kind: 'socket' },
      });
    } finally {
      server.close();
    }
  });

  it('refuses names no manifest can carry: not UTF-8, backslash, control characters', async () => {
    const root = join(dir, 'm');
    await mkdir(root);
    await writeFile(Buffer.concat([Buffer.from(`${root}/bad-`), Buffer.from([0xff, 0xfe])]), 'x');
    await expect(walkDirectory(root)).rejects.toMatchObject({ code: 'ERR_DIGEST_PATH_INVALID' });
    await rm(root, { recursive: true });
    await mkdir(root);
    await writeFile(join(root, 'a\\b'), 'x');
    await expect(walkDirectory(root)).rejects.toMatchObject({ code: 'ERR_DIGEST_PATH_ESCAPES' });
    await rm(root, { recursive: true });
    await mkdir(root);
    await writeFile(join(root, 'line\nbreak'), 'x');
    await expect(walkDirectory(root)).rejects.toMatchObject({ code: 'ERR_DIGEST_PATH_INVALID' });
  });

  it('refuses a root that is missing or not a directory, and accepts an empty one', async () => {
    await expect(directoryManifest(join(dir, 'absent'))).rejects.toMatchObject({
      code: 'ERR_DIGEST_FILE_NOT_FOUND',
    });
    await writeFile(join(dir, 'file'), 'x');
    await expect(directoryManifest(join(dir, 'file'))).rejects.toMatchObject({
      code: 'ERR_DIGEST_NOT_A_DIRECTORY',
    });
    await mkdir(join(dir, 'empty'));
    expect((await directoryManifest(join(dir, 'empty'))).files).toEqual([]);
  });

  it('follows a symlinked root, which the caller named', async () => {
    await writeTree(dir, { 'real/a': 'a' }, 'forward');
    await symlink(join(dir, 'real'), join(dir, 'alias'));
    expect(await directoryManifest(join(dir, 'alias'))).toEqual(await directoryManifest(join(dir, 'real')));
  });
});
