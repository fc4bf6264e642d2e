import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/test-support/shared.js';

// The README's first command ends in `npm run demo`: the whole story on embedded defaults, on the committed
// artefacts of the credit-decisioning pipeline, with no Python and no ../shared.
describe('npm run demo', () => {
  it('promotes v2 on the completing approval and blocks v3 until the committee has approved', () => {
    const home = join(mkdtempSync(join(tmpdir(), 'docket-demo-')), 'home');
    const run = spawnSync(process.execPath, ['scripts/demo.js'], {
      cwd: repoRoot,
      env: { ...process.env, DOCKET_DEMO_HOME: home, DOCKET_SHARED: '/nonexistent' },
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain('classification: class 2');
    expect(out).toContain('[ERR_DECISION_VIEW_MISSING]');
    expect(out).toMatch(/PASS local\/credit-decisioning@2/);
    expect(out).toMatch(/FAIL local\/credit-decisioning@3: do not deploy/);
    expect(out).toContain('classification: class 3');
    expect(out).toMatch(/PASS local\/credit-decisioning@3/);
    expect(out).toContain('credit-decisioning@champion -> 3');
    expect(out.match(/log verified/g)?.length).toBe(2);
    expect(out).toMatch(/EVIDENCE local\/credit-decisioning@2/);
  }, 300_000);
});
