import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDocketError } from '../errors/index.js';
import { REPORT_ERRORS } from './errors.js';
import {
  loadComparisonInputs,
  loadExplanationDiffInputs,
  MAX_INPUT_BYTES,
  readInputText,
} from './load-inputs.js';
import { comparisonFiles, explanationFiles, scratchDir } from './test-support/report-fixtures.js';

async function refusal(
  work: Promise<unknown>,
): Promise<{ code: string; details: Record<string, unknown>; message: string }> {
  try {
    await work;
  } catch (err) {
    if (!isDocketError(err)) throw err;
    return { code: err.code, details: { ...err.details }, message: err.message };
  }
  throw new Error('expected a refusal');
}

describe('report loaders', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await scratchDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('load every input of both example comparisons', async () => {
    const inputs = await loadComparisonInputs(comparisonFiles('2', '3'));
    expect(inputs.manifest.challenger.version).toBe('3');
    expect(inputs.policy.policy.name).toBe('credit-risk');
    expect(inputs.sourceNames?.psi).toBe(comparisonFiles('2', '3').psi);
    const diff = await loadExplanationDiffInputs(explanationFiles('2', '3'));
    expect(diff.challenger.meanAbsAttribution).toHaveLength(13);
  });

  it('refuse a missing file, a directory, an oversized file and non-UTF-8 bytes', async () => {
    expect(await refusal(readInputText(join(dir, 'absent.json')))).toMatchObject({
      code: REPORT_ERRORS.INPUT_UNREADABLE,
      details: { file: join(dir, 'absent.json'), field: '' },
    });
    await mkdir(join(dir, 'folder'));
    expect((await refusal(readInputText(join(dir, 'folder')))).code).toBe(REPORT_ERRORS.INPUT_UNREADABLE);
    await writeFile(join(dir, 'big.json'), '');
    await truncate(join(dir, 'big.json'), MAX_INPUT_BYTES + 1);
    expect(await refusal(readInputText(join(dir, 'big.json')))).toMatchObject({
      code: REPORT_ERRORS.INPUT_TOO_LARGE,
      details: { maxBytes: MAX_INPUT_BYTES },
    });
    await writeFile(join(dir, 'latin1.json'), Buffer.from([0x7b, 0xe9, 0x7d]));
    expect((await refusal(readInputText(join(dir, 'latin1.json')))).code).toBe(REPORT_ERRORS.INPUT_NOT_JSON);
  });

  it('refuse a file that is not JSON, naming it', async () => {
    const files = explanationFiles('1', '2');
    const broken = join(dir, 'explanation.json');
    await writeFile(broken, '{"formatVersion": 1,');
    const refused = await refusal(loadExplanationDiffInputs({ ...files, challenger: broken }));
    expect(refused).toMatchObject({
      code: REPORT_ERRORS.INPUT_NOT_JSON,
      details: { file: broken, field: '' },
    });
    expect(refused.message).toContain(broken);
  });

  it('refuse an invalid change manifest or policy with a report code, keeping theirs as the cause', async () => {
    const files = comparisonFiles('1', '2');
    const manifest = JSON.parse(await readFile(files.manifest, 'utf8')) as {
      champion: { features: unknown };
    };
    manifest.champion.features = 'all of them';
    const badManifest = join(dir, 'change-manifest.json');
    await writeFile(badManifest, JSON.stringify(manifest));
    const manifestRefusal = await refusal(loadComparisonInputs({ ...files, manifest: badManifest }));
    expect(manifestRefusal).toMatchObject({
      code: REPORT_ERRORS.INPUT_INVALID,
      details: { file: badManifest, field: '/champion/features' },
    });
    expect(manifestRefusal.message).toContain('ERR_CHANGE_MANIFEST_INVALID');

    const badPolicy = join(dir, 'policy.yaml');
    await writeFile(
      badPolicy,
      (await readFile(files.policy, 'utf8')).replace('scoreMax: 0.1', 'scoreMax: lots'),
    );
    const policyRefusal = await refusal(loadComparisonInputs({ ...files, policy: badPolicy }));
    expect(policyRefusal).toMatchObject({
      code: REPORT_ERRORS.INPUT_INVALID,
      details: { file: badPolicy, field: '/drift/psi/scoreMax' },
    });
    expect(policyRefusal.message).toContain('ERR_POLICY_INVALID');
  });
});
