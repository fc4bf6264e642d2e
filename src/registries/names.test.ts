import { describe, expect, it } from 'vitest';
import { RegistryErrorCode } from './errors.js';
import { checkAlias, checkModelName, checkTag, checkVersion, parseStage } from './names.js';

const invalid = expect.objectContaining({ code: RegistryErrorCode.InvalidArgument });

// The rules are MLflow's (mlflow/utils/validation.py, 3.17), narrowed to what every backend accepts alike.
describe('registry names', () => {
  it.each([
    'credit-decisioning',
    'Credit Decisioning v2',
    'modèle',
    'a.b_c',
    "x'); DROP TABLE models; --",
    'm'.repeat(256),
  ])('accepts the model name %j', (name) => expect(() => checkModelName(name)).not.toThrow());

  it.each([
    '',
    ' lead',
    'trail ',
    'a/b',
    'a:b',
    '.',
    '..',
    'tab\there',
    'nul\u0000',
    'c1\u0085',
    'lone\ud800',
    'm'.repeat(257),
    42,
    null,
  ])('refuses the model name %j', (name) => expect(() => checkModelName(name)).toThrow(invalid));

  it.each(['champion', 'challenger_2', 'A-B', 'v', 'version1', 'x'.repeat(255)])(
    'accepts the alias %j',
    (alias) => expect(() => checkAlias(alias)).not.toThrow(),
  );

  it.each([
    '',
    'latest',
    'LATEST',
    'v1',
    'V12',
    'cham pion',
    'champion!',
    'café',
    'x'.repeat(256),
    undefined,
  ])('refuses the alias %j', (alias) => expect(() => checkAlias(alias)).toThrow(invalid));

  it.each(['1', '17', '999999999999999'])('accepts the version %j', (v) =>
    expect(() => checkVersion(v)).not.toThrow(),
  );

  it.each(['0', '01', '-1', '1.0', ' 1', '1e3', '9999999999999999', '', 1])('refuses the version %j', (v) =>
    expect(() => checkVersion(v)).toThrow(invalid),
  );

  it('checks tag keys and values', () => {
    expect(() => checkTag('docket.promotion', 'log 7 sha256:ab')).not.toThrow();
    expect(() => checkTag('docket.promotion', '')).not.toThrow();
    for (const key of ['', '.', '..', 'a b', 'a/b', 'k'.repeat(251)])
      expect(() => checkTag(key, 'v')).toThrow(invalid);
    for (const value of ['a\nb', 'v'.repeat(8001), 7]) expect(() => checkTag('k', value)).toThrow(invalid);
  });

  it('parses stages case-insensitively into MLflow’s spelling', () => {
    expect(parseStage('production')).toBe('Production');
    expect(parseStage('STAGING')).toBe('Staging');
    expect(parseStage('None')).toBe('None');
    expect(() => parseStage('prod')).toThrow(invalid);
    expect(() => parseStage(undefined)).toThrow(invalid);
  });
});
