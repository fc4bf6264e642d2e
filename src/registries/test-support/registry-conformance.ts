import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { directoryManifest, manifestDigest } from '../../digest/index.js';
import { RegistryErrorCode } from '../errors.js';
import { frozenDigest } from '../frozen-digest.js';
import type { ModelRegistry } from '../model-registry.js';
import { type ModelFiles, writeModelFiles } from './model-files.js';

/** What the conformance suite needs from a backend's test file. */
export interface ConformanceFixture {
  readonly registry: ModelRegistry;
  /** The id the registry must report. */
  readonly expectedId: string;
  /** Creates `model` if needed and registers one version per directory, in order; returns their versions. */
  createVersions(model: string, dirs: readonly string[]): Promise<string[]>;
  /** Reads a version tag behind docket's back (the interface never reads tags: they are not evidence). */
  readTag(model: string, version: string, key: string): Promise<string | undefined>;
}

const code = (c: string) => expect.objectContaining({ code: c });

/**
 * The behaviour every {@link ModelRegistry} must show, as vitest tests registered in the calling `describe`: the
 * local registry and MLflow run the same suite (as tessera runs one suite against every storage driver). Model
 * names are unique per test, since a real server keeps its state for the whole file.
 *
 * @example
 * describe('MlflowRegistry', () => {
 *   let fixture: ConformanceFixture;
 *   beforeAll(async () => { fixture = await makeFixture(); });
 *   registryConformance(() => fixture);
 * });
 */
export function registryConformance(getFixture: () => ConformanceFixture): void {
  let first: ModelFiles;
  let second: ModelFiles;
  let counter = 0;
  const uniqueModel = (label: string): string => {
    counter += 1;
    return `conf-${label}-${Date.now().toString(36)}-${counter}`;
  };

  beforeAll(async () => {
    first = await writeModelFiles('first');
    second = await writeModelFiles('second', { largeBytes: 1024 });
  });
  afterAll(async () => {
    await first.cleanup();
    await second.cleanup();
  });

  async function modelWithTwoVersions(label: string): Promise<{ model: string; v1: string; v2: string }> {
    const model = uniqueModel(label);
    const [v1, v2] = await getFixture().createVersions(model, [first.dir, second.dir]);
    if (v1 === undefined || v2 === undefined) throw new Error('createVersions returned too few versions');
    return { model, v1, v2 };
  }

  it('reports its id', () => {
    expect(getFixture().registry.id).toBe(getFixture().expectedId);
  });

  it('gets a version with its source, and NOT_FOUND for a missing version or model', async () => {
    const { registry } = getFixture();
    const { model, v1, v2 } = await modelWithTwoVersions('get');
    expect(v1).toBe('1');
    expect(v2).toBe('2');
    const version = await registry.getVersion(model, v2);
    expect(version).toMatchObject({ registry: registry.id, model, version: '2', status: 'ready' });
    expect(version.source.length).toBeGreaterThan(0);
    await expect(registry.getVersion(model, '99')).rejects.toEqual(code(RegistryErrorCode.NotFound));
    await expect(registry.getVersion(uniqueModel('absent'), '1')).rejects.toEqual(
      code(RegistryErrorCode.NotFound),
    );
  });

  it('resolves an unset alias to undefined, and a missing model to NOT_FOUND', async () => {
    const { registry } = getFixture();
    const { model } = await modelWithTwoVersions('unset');
    expect(await registry.resolveAlias(model, 'champion')).toBeUndefined();
    await expect(registry.resolveAlias(uniqueModel('absent'), 'champion')).rejects.toEqual(
      code(RegistryErrorCode.NotFound),
    );
  });

  it('sets, moves, re-sets and deletes an alias', async () => {
    const { registry } = getFixture();
    const { model, v1, v2 } = await modelWithTwoVersions('alias');
    await registry.setAlias(model, 'champion', v1);
    expect(await registry.resolveAlias(model, 'champion')).toBe(v1);
    await registry.setAlias(model, 'champion', v2);
    await registry.setAlias(model, 'champion', v2);
    expect(await registry.resolveAlias(model, 'champion')).toBe(v2);
    await registry.setAlias(model, 'challenger', v1);
    expect(await registry.resolveAlias(model, 'challenger')).toBe(v1);
    await registry.deleteAlias(model, 'champion');
    expect(await registry.resolveAlias(model, 'champion')).toBeUndefined();
    await registry.deleteAlias(model, 'champion');
    expect(await registry.resolveAlias(model, 'challenger')).toBe(v1);
  });

  it('handles a model name with spaces, accents, quotes and URL metacharacters', async () => {
    const { registry } = getFixture();
    const model = uniqueModel(`Crédit "d'été" & co?#%`);
    const [v1] = await getFixture().createVersions(model, [second.dir]);
    if (v1 === undefined) throw new Error('createVersions returned no version');
    await registry.setAlias(model, 'champion', v1);
    expect(await registry.resolveAlias(model, 'champion')).toBe(v1);
    expect((await registry.getVersion(model, v1)).model).toBe(model);
    expect(await registry.listAliases()).toContainEqual({ model, alias: 'champion', version: v1 });
    await registry.deleteAlias(model, 'champion');
    expect(await registry.resolveAlias(model, 'champion')).toBeUndefined();
  });

  it('refuses an alias on a missing version or model with NOT_FOUND', async () => {
    const { registry } = getFixture();
    const { model } = await modelWithTwoVersions('alias-missing');
    await expect(registry.setAlias(model, 'champion', '42')).rejects.toEqual(
      code(RegistryErrorCode.NotFound),
    );
    const absent = uniqueModel('absent');
    await expect(registry.setAlias(absent, 'champion', '1')).rejects.toEqual(
      code(RegistryErrorCode.NotFound),
    );
    await expect(registry.deleteAlias(absent, 'champion')).rejects.toEqual(code(RegistryErrorCode.NotFound));
    expect(await registry.resolveAlias(model, 'champion')).toBeUndefined();
  });

  it('lists every alias of every model, sorted by model then alias', async () => {
    const { registry } = getFixture();
    const a = await modelWithTwoVersions('list-a');
    const b = await modelWithTwoVersions('list-b');
    await registry.setAlias(b.model, 'champion', b.v2);
    await registry.setAlias(a.model, 'challenger', a.v2);
    await registry.setAlias(a.model, 'champion', a.v1);
    const mine = (await registry.listAliases()).filter((x) => x.model === a.model || x.model === b.model);
    expect(mine).toEqual([
      { model: a.model, alias: 'challenger', version: a.v2 },
      { model: a.model, alias: 'champion', version: a.v1 },
      { model: b.model, alias: 'champion', version: b.v2 },
    ]);
    await registry.deleteAlias(a.model, 'challenger');
    const after = (await registry.listAliases()).filter((x) => x.model === a.model);
    expect(after).toEqual([{ model: a.model, alias: 'champion', version: a.v1 }]);
  });

  it.each([
    ['an alias MLflow reserves', (r: ModelRegistry) => r.setAlias('m', 'latest', '1')],
    ['a version alias', (r: ModelRegistry) => r.setAlias('m', 'v3', '1')],
    ['an alias with a space', (r: ModelRegistry) => r.resolveAlias('m', 'cham pion')],
    ['a version with a leading zero', (r: ModelRegistry) => r.getVersion('m', '01')],
    ['a negative version', (r: ModelRegistry) => r.getVersion('m', '-1')],
    ['a model name with a slash', (r: ModelRegistry) => r.getVersion('a/b', '1')],
    ['a model name with a newline', (r: ModelRegistry) => r.resolveAlias('a\nb', 'champion')],
    ['a non-string model', (r: ModelRegistry) => r.getVersion(42 as unknown as string, '1')],
    ['a tag key with a space', (r: ModelRegistry) => r.setVersionTag('m', '1', 'a b', 'x')],
  ])('refuses %s with INVALID_ARGUMENT', async (_label, call) => {
    await expect(call(getFixture().registry)).rejects.toEqual(code(RegistryErrorCode.InvalidArgument));
  });

  it('sets and overwrites a version tag, and refuses one on a missing version', async () => {
    const fixture = getFixture();
    const { model, v1 } = await modelWithTwoVersions('tag');
    await fixture.registry.setVersionTag(model, v1, 'docket.promotion', 'log 7 sha256:aa');
    expect(await fixture.readTag(model, v1, 'docket.promotion')).toBe('log 7 sha256:aa');
    await fixture.registry.setVersionTag(model, v1, 'docket.promotion', 'log 9 sha256:bb');
    expect(await fixture.readTag(model, v1, 'docket.promotion')).toBe('log 9 sha256:bb');
    await expect(fixture.registry.setVersionTag(model, '77', 'docket.promotion', 'x')).rejects.toEqual(
      code(RegistryErrorCode.NotFound),
    );
  });

  it('fetches a version’s bytes so that docket computes the digest of the original files', async () => {
    const { registry } = getFixture();
    const { model, v1, v2 } = await modelWithTwoVersions('fetch');
    const fetched = await registry.fetchArtefacts(model, v1);
    try {
      expect(fetched.kind).toBe('directory');
      expect(fetched.files).toBe(first.files.length);
      const expected = manifestDigest(await directoryManifest(first.dir));
      expect(manifestDigest(await directoryManifest(fetched.path))).toBe(expected);
      expect((await frozenDigest(registry, model, v1)).digest).toBe(expected);
      const other = await frozenDigest(registry, model, v2);
      expect(other.digest).toBe(manifestDigest(await directoryManifest(second.dir)));
      expect(other.digest).not.toBe(expected);
    } finally {
      await fetched.remove();
    }
    await expect(stat(fetched.path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fetches into the given temp directory and leaves nothing behind on failure', async () => {
    const { registry } = getFixture();
    const { model, v1 } = await modelWithTwoVersions('limits');
    const parent = await mkdtemp(join(tmpdir(), 'docket-fetch-parent-'));
    try {
      const fetched = await registry.fetchArtefacts(model, v1, { tempDir: parent });
      expect(fetched.path.startsWith(parent)).toBe(true);
      await fetched.remove();
      await expect(registry.fetchArtefacts(model, v1, { tempDir: parent, maxBytes: 1024 })).rejects.toEqual(
        code(RegistryErrorCode.ArtefactTooLarge),
      );
      await expect(registry.fetchArtefacts(model, v1, { tempDir: parent, maxFiles: 2 })).rejects.toEqual(
        code(RegistryErrorCode.ArtefactTooLarge),
      );
      await expect(registry.fetchArtefacts(model, '99', { tempDir: parent })).rejects.toEqual(
        code(RegistryErrorCode.NotFound),
      );
      expect(await readdir(parent)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('stops with ABORTED when the caller aborts', async () => {
    const { registry } = getFixture();
    const { model, v1 } = await modelWithTwoVersions('abort');
    const signal = AbortSignal.abort(new Error('user pressed ^C'));
    await expect(registry.getVersion(model, v1, { signal })).rejects.toEqual(code(RegistryErrorCode.Aborted));
    await expect(registry.fetchArtefacts(model, v1, { signal })).rejects.toEqual(
      code(RegistryErrorCode.Aborted),
    );
  });
}
