import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryErrorCode } from './errors.js';
import { LocalRegistry } from './local/index.js';
import {
  currentTargetVersion,
  listTargetAssignments,
  moveTarget,
  parsePromotionTarget,
} from './promotion-target.js';

describe('promotion targets', () => {
  let dir: string;
  let registry: LocalRegistry;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docket-target-'));
    registry = LocalRegistry.open(join(dir, 'registry.db'), { create: true });
    for (const model of ['credit', 'fraud']) {
      await registry.createModel(model);
      await registry.registerVersion(model, { path: dir });
      await registry.registerVersion(model, { path: dir });
    }
  });
  afterEach(async () => {
    await registry.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('parses alias and stage targets', () => {
    expect(parsePromotionTarget('champion')).toEqual({ kind: 'alias', alias: 'champion' });
    expect(parsePromotionTarget('alias:prod')).toEqual({ kind: 'alias', alias: 'prod' });
    expect(parsePromotionTarget('stage:production')).toEqual({ kind: 'stage', stage: 'Production' });
    for (const bad of ['latest', 'stage:prod', 'alias:', 'a b']) {
      expect(() => parsePromotionTarget(bad)).toThrow(
        expect.objectContaining({ code: RegistryErrorCode.InvalidArgument }),
      );
    }
  });

  it('moves and reads an alias target, and lists it per model', async () => {
    const target = parsePromotionTarget('champion');
    expect(await currentTargetVersion(registry, 'credit', target)).toBeUndefined();
    await moveTarget(registry, 'credit', target, '2');
    await moveTarget(registry, 'fraud', target, '1');
    await registry.setAlias('fraud', 'challenger', '2');
    expect(await currentTargetVersion(registry, 'credit', target)).toBe('2');
    expect(await listTargetAssignments(registry, target)).toEqual([
      { model: 'credit', version: '2' },
      { model: 'fraud', version: '1' },
    ]);
  });

  it('refuses a stage target on a registry without stages', async () => {
    const unsupported = expect.objectContaining({ code: RegistryErrorCode.Unsupported });
    const target = parsePromotionTarget('stage:Production');
    await expect(currentTargetVersion(registry, 'credit', target)).rejects.toEqual(unsupported);
    await expect(moveTarget(registry, 'credit', target, '1')).rejects.toEqual(unsupported);
    await expect(listTargetAssignments(registry, target)).rejects.toEqual(unsupported);
  });
});
