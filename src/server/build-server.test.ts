import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeServerFixture } from './test-support/server-fixture.js';

describe('buildServer', () => {
  it('logs method, path and status as JSON, never the token, cookies or query strings', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const s = await makeServerFixture({ logger: { level: 'info', stream } });
    const token = await s.token('alice');
    try {
      await s.app.inject({
        method: 'GET',
        url: '/api/v1/requests?awaiting=me',
        headers: { authorization: `Bearer ${token}`, cookie: 'docket-session=secret-session-id' },
      });
      await s.app.inject({ method: 'GET', url: '/auth/callback?code=secret-code&state=secret-state' });
      await s.app.inject({
        method: 'GET',
        url: '/api/v1/requests/req-0000000000',
        headers: { authorization: `Bearer ${token}` },
      });
    } finally {
      await s.close();
    }
    const log = lines.join('');
    expect(lines.every((line) => JSON.parse(line) !== null)).toBe(true);
    expect(log).toContain('"path":"/api/v1/requests"');
    expect(log).toContain('"code":"ERR_REQUEST_NOT_FOUND"');
    for (const secret of ['secret-session-id', 'secret-code', 'secret-state', 'Bearer', 'awaiting=me']) {
      expect(log).not.toContain(secret);
    }
    for (const part of token.split('.')) expect(log).not.toContain(part);
  });

  it('refuses an unusable public URL with ERR_SERVER_CONFIG_INVALID', async () => {
    await expect(makeServerFixture({ publicUrl: 'ftp://docket.test' })).rejects.toMatchObject({
      code: 'ERR_SERVER_CONFIG_INVALID',
    });
    await expect(makeServerFixture({ publicUrl: 'https://docket.test/sub/path' })).rejects.toMatchObject({
      code: 'ERR_SERVER_CONFIG_INVALID',
    });
  });
});
