import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A model directory on disk for tests, and the relative paths of its files. */
export interface ModelFiles {
  readonly dir: string;
  readonly files: readonly string[];
  cleanup(): Promise<void>;
}

/**
 * Writes a small but awkward model directory: nested folders, a name with a space and non-ASCII letters, every
 * byte value, an empty file, and a file of a few MiB (more than one chunk on every path it travels). `seed` makes
 * two directories differ.
 */
export async function writeModelFiles(
  seed: string,
  options: { largeBytes?: number } = {},
): Promise<ModelFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-model-'));
  const every = Buffer.alloc(256 * 4);
  for (let i = 0; i < every.length; i += 1) every[i] = i % 256;
  const large = Buffer.alloc(options.largeBytes ?? 3 * 1024 * 1024 + 17);
  for (let i = 0; i < large.length; i += 1) large[i] = (i * 31 + seed.length) % 251;
  const contents: Record<string, Uint8Array | string> = {
    MLmodel: `artifact_path: model\nflavors:\n  docket_test:\n    seed: ${seed}\n`,
    'weights/model.bin': large,
    'weights/every-byte.bin': every,
    'data/sub dir/déjà vu.txt': `seed ${seed}\n`,
    'data/empty.txt': '',
  };
  for (const [path, bytes] of Object.entries(contents)) {
    const file = join(dir, ...path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }
  return {
    dir,
    files: Object.keys(contents).sort(),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
