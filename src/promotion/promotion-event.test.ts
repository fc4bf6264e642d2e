import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../digest/index.js';
import { repoRoot } from '../test-support/shared.js';
import { DOCKET_VERSION } from '../version.js';
import { PromotionErrorCode } from './errors.js';
import { promote } from './promote.js';
import { readPromotion } from './promotion-state.js';
import { PROMOTION_RECORD } from './records.js';
import { makePromotionFixture, type PromotionFixture } from './test-support/promotion-fixture.js';

const code = (c: string) => expect.objectContaining({ code: c });
// biome-ignore lint/suspicious/noExplicitAny: real events are broken field by field, into invalid shapes.
type EventData = Record<string, any>;

/**
 * The promotion event's JSON Schema (schemas/promotion-event.schema.json), compiled here with Ajv on its own, as an
 * outside consumer of the record would: real events written by the gate validate, and what the schema promises
 * (every reference present, digests well-formed, nothing unknown) is checked by breaking a real event.
 */
describe('promotion event schema', () => {
  let f: PromotionFixture;
  let event: Record<string, unknown>;
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'promotion-event.schema.json'), 'utf8'));
  const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

  beforeAll(async () => {
    f = await makePromotionFixture();
    const request = await f.approve(await f.openRequest(2), 2);
    const outcome = await promote(f.ctx, request.id);
    event = (await f.approvals.ledger.readEntry(outcome.event.index)).statement.predicate;
  });
  afterAll(async () => {
    await f?.cleanup();
  });

  it('is a JSON Schema 2020-12 document', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('validates a real event read back from the ledger', () => {
    expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    expect(event.docketVersion).toBe(DOCKET_VERSION);
    // The six references of DESIGN.md, each present.
    expect(Object.keys(event)).toEqual(
      expect.arrayContaining([
        'model',
        'comparison',
        'requestId',
        'requestHead',
        'approvers',
        'explanationDigest',
        'datasets',
      ]),
    );
  });

  it.each([
    ['an unknown field', (e: EventData) => Object.assign(e, { note: 'hi' })],
    ['no frozen artefact digest', (e: EventData) => delete e.model.artefactDigest],
    ['a tag instead of a digest', (e: EventData) => Object.assign(e, { explanationDigest: 'v17' })],
    ['no approvers', (e: EventData) => Object.assign(e, { approvers: [] })],
    ['a display name for an approver', (e: EventData) => Object.assign(e.approvers[0], { name: 'Al' })],
    ['no request head', (e: EventData) => delete e.requestHead],
    ['a decision without its leaf hash', (e: EventData) => delete e.decisions[0].leafHash],
    ['an unknown target kind', (e: EventData) => Object.assign(e, { target: { kind: 'tag' } })],
    ['class 4', (e: EventData) => Object.assign(e, { class: 4 })],
  ])('refuses an event with %s', (_what, edit) => {
    const broken = structuredClone(event);
    edit(broken);
    expect(validate(broken)).toBe(false);
  });

  it('reading refuses a promotion record that does not match the schema', async () => {
    const requestId = event.requestId as string;
    // Appended past the gate (as another docket version, or a bug, might): the reader must not half-read it.
    await f.approvals.ledger.append([
      {
        type: PROMOTION_RECORD.promotion,
        subject: [{ name: 'x', digest: sha256Digest(new Uint8Array([1])) }],
        predicate: { requestId, class: 1 },
        keys: [{ key: 'promotion', value: requestId }],
      },
    ]);
    await expect(readPromotion(f.approvals.ledger, requestId)).rejects.toEqual(
      code(PromotionErrorCode.RecordMalformed),
    );
  });
});
