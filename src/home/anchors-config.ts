import { isAbsolute, join } from 'node:path';
import type { AnchorTarget } from '../audit/anchor/index.js';

/** An anchor target as config.json spells it; S3 credentials never live in the file (SDK default chain). */
export type AnchorTargetConfig =
  | { kind: 'directory'; path: string }
  | {
      kind: 's3';
      bucket: string;
      endpoint?: string;
      region?: string;
      prefix?: string;
      retentionDays: number;
      forcePathStyle?: boolean;
    };

type Fail = (why: string) => never;

/** Parses `anchors: [...]` of config.json as hostile input; targets are checked again when used. */
export function parseAnchorsConfig(value: unknown, fail: Fail): AnchorTargetConfig[] {
  if (!Array.isArray(value) || value.length > 16) fail('anchors must be a list of at most 16 targets');
  return (value as unknown[]).map((raw, i) => {
    const at = `anchors[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`${at} must be an object`);
    const t = raw as Record<string, unknown>;
    const allowed =
      t.kind === 'directory'
        ? ['kind', 'path']
        : t.kind === 's3'
          ? ['kind', 'bucket', 'endpoint', 'region', 'prefix', 'retentionDays', 'forcePathStyle']
          : fail(`${at}.kind must be "directory" or "s3"`);
    for (const key of Object.keys(t)) if (!allowed.includes(key)) fail(`unknown field ${at}.${key}`);
    const text = (key: string, optional = false): string | undefined => {
      const v = t[key];
      if (v === undefined && optional) return undefined;
      if (typeof v !== 'string' || v.length === 0) return fail(`${at}.${key} must be a non-empty string`);
      return v;
    };
    if (t.kind === 'directory') return { kind: 'directory', path: text('path') as string };
    if (!Number.isInteger(t.retentionDays)) fail(`${at}.retentionDays must be a whole number of days`);
    if (t.forcePathStyle !== undefined && typeof t.forcePathStyle !== 'boolean') {
      fail(`${at}.forcePathStyle must be true or false`);
    }
    const endpoint = text('endpoint', true);
    const region = text('region', true);
    const prefix = t.prefix === '' ? '' : text('prefix', true);
    return {
      kind: 's3',
      bucket: text('bucket') as string,
      retentionDays: t.retentionDays as number,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(region === undefined ? {} : { region }),
      ...(prefix === undefined ? {} : { prefix }),
      ...(t.forcePathStyle === undefined ? {} : { forcePathStyle: t.forcePathStyle as boolean }),
    };
  });
}

/** The library's anchor targets: directory paths resolved against the home. */
export function anchorTargets(home: string, configs: readonly AnchorTargetConfig[]): AnchorTarget[] {
  return configs.map((c) =>
    c.kind === 'directory'
      ? { kind: 'directory', path: isAbsolute(c.path) ? c.path : join(home, c.path) }
      : { ...c },
  );
}
