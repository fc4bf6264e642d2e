import { describe, expect, it } from 'vitest';
import { answerOf, describeS3Failure } from './s3-failure.js';

// Shapes of errors the AWS SDK v3 throws: service errors carry `name` (the S3 error code) and
// `$metadata.httpStatusCode`; failures below HTTP are Node system errors with `code` and no `$metadata`.
const service = (name: string, status: number, message = '') =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const system = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });

describe('describeS3Failure', () => {
  it.each([
    [system('ECONNREFUSED'), 'unreachable', 'ECONNREFUSED'],
    [system('ENOTFOUND'), 'unreachable', 'ENOTFOUND'],
    [Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), 'unreachable', 'TimeoutError'],
    [service('SlowDown', 503), 'unreachable', 'SlowDown'],
    [service('InternalError', 500), 'unreachable', 'InternalError'],
    [service('AccessDenied', 403), 'access-denied', 'AccessDenied'],
    [service('SignatureDoesNotMatch', 403), 'access-denied', 'SignatureDoesNotMatch'],
    [service('InvalidAccessKeyId', 403), 'access-denied', 'InvalidAccessKeyId'],
    [service('XAdminUserNotFound', 404), 'access-denied', 'XAdminUserNotFound'],
    [service('NoSuchBucket', 404), 'bucket-missing', 'NoSuchBucket'],
    [service('NoSuchKey', 404), 'not-found', 'NoSuchKey'],
    [service('NotFound', 404), 'not-found', 'NotFound'],
    [service('PreconditionFailed', 412), 'precondition-failed', 'PreconditionFailed'],
    [service('ConditionalRequestConflict', 409), 'conflict', 'ConditionalRequestConflict'],
    [service('NotImplemented', 501), 'not-implemented', 'NotImplemented'],
    [
      service('ObjectLockConfigurationNotFoundError', 404),
      'object-lock-missing',
      'ObjectLockConfigurationNotFoundError',
    ],
    [
      service('InvalidRequest', 400, 'Bucket is missing ObjectLockConfiguration'),
      'object-lock-missing',
      'InvalidRequest',
    ],
    [service('InvalidRequest', 400, 'something else'), 'other', 'InvalidRequest'],
    [new TypeError('a bug'), 'other', 'TypeError'],
  ])('classifies %s', (err, kind, s3Code) => {
    expect(describeS3Failure(err)).toMatchObject({ kind, s3Code });
  });

  it('survives values that are not errors', () => {
    for (const value of [undefined, null, 'text', 42, {}])
      expect(describeS3Failure(value).kind).toBe('other');
  });

  it('says what S3 answered', () => {
    expect(answerOf(describeS3Failure(service('AccessDenied', 403)))).toBe('403 AccessDenied');
    expect(answerOf(describeS3Failure(system('ECONNREFUSED')))).toBe('ECONNREFUSED');
    expect(answerOf({ kind: 'other', message: '' })).toBe('no answer');
  });
});
