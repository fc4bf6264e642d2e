import { DOCKET_VERSION } from '../../version.js';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ 'application/json': { schema } });
const errors = (...statuses: number[]): Json =>
  Object.fromEntries(
    statuses.map((s) => [
      String(s),
      { description: 'a coded error (docs/errors.md)', content: json(ref('Error')) },
    ]),
  );
const requestId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^req-[0-9a-z]{10}$' },
};
const count = (name: string, where: 'path' | 'query', required: boolean): Json => ({
  name,
  in: where,
  required,
  schema: { type: 'integer', minimum: 0 },
});
const bearer = [{ bearer: [] }];

/**
 * The OpenAPI 3.1 description of docket's HTTP API, served at /api/v1/openapi.json. Every error answer is a coded
 * error whose status comes from the one table in http-status.ts.
 */
export function openApiDocument(publicUrl: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'docket',
      version: DOCKET_VERSION,
      description:
        'The signed court record of ML model promotions: artefacts, approval requests, view receipts, decisions, ' +
        'and the verifiable log (RFC 9162 proofs, C2SP checkpoints). Errors carry stable codes (docs/errors.md).',
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "An access token from a trusted OpenID Provider whose `aud` is docket's API.",
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'details'],
              properties: {
                code: { type: 'string', pattern: '^ERR_[A-Z0-9_]+$' },
                message: { type: 'string' },
                details: { type: 'object' },
              },
            },
          },
        },
        Digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
        ModelVersion: {
          type: 'object',
          required: ['registry', 'model', 'version', 'artefactDigest'],
          additionalProperties: false,
          properties: {
            registry: { type: 'string' },
            model: { type: 'string' },
            version: { type: 'string' },
            artefactDigest: ref('Digest'),
          },
        },
        Evidence: {
          type: 'object',
          additionalProperties: false,
          required: ['comparison', 'explanation', 'trainingDataset', 'evaluationDataset', 'changeManifest'],
          properties: Object.fromEntries(
            ['comparison', 'explanation', 'trainingDataset', 'evaluationDataset', 'changeManifest'].map(
              (k) => [k, ref('Digest')],
            ),
          ),
        },
        OpenRequest: {
          type: 'object',
          additionalProperties: false,
          required: ['candidate', 'champion', 'evidence'],
          properties: {
            candidate: ref('ModelVersion'),
            champion: ref('ModelVersion'),
            evidence: ref('Evidence'),
            ticket: { type: 'string' },
          },
        },
        ApprovalRequest: {
          type: 'object',
          description:
            "A request's state, folded from its own entries (src/approvals/requests/fold-request.ts).",
          required: [
            'id',
            'state',
            'candidate',
            'champion',
            'evidence',
            'classification',
            'requirements',
            'head',
          ],
        },
        Decision: {
          type: 'object',
          additionalProperties: false,
          required: ['decision', 'evidence'],
          properties: {
            decision: { enum: ['approve', 'reject'] },
            evidence: { ...ref('Evidence'), description: 'The digests as displayed to the reviewer.' },
            comment: { type: 'string', maxLength: 4000 },
          },
        },
        PromotionOutcome: {
          type: 'object',
          description:
            "What a promotion did (src/promotion/promote.ts): the event and the request's transitions.",
          required: ['requestId', 'state', 'event', 'transitions'],
          properties: {
            requestId: { type: 'string' },
            state: { enum: ['promoted', 'transition-pending'] },
            event: { type: 'object' },
            transition: { type: 'object' },
            transitions: { type: 'array', items: { type: 'object' } },
          },
        },
        PromotionStatus: {
          type: 'object',
          required: ['requestId', 'state', 'event', 'transitions'],
          properties: {
            requestId: { type: 'string' },
            state: { enum: ['none', 'transition-pending', 'promoted'] },
            event: { type: ['object', 'null'] },
            transitions: { type: 'array', items: { type: 'object' } },
          },
        },
        DecisionPromotion: {
          type: 'object',
          required: ['state'],
          properties: {
            state: { enum: ['not-run', 'refused', 'promoted', 'transition-pending'] },
            reason: { enum: ['approvals-incomplete', 'explicit-mode'] },
            error: {
              type: 'object',
              description: 'the coded refusal (docs/errors.md); nothing was written or moved',
              required: ['code', 'message', 'details'],
            },
          },
        },
        InclusionProof: {
          type: 'object',
          required: ['origin', 'index', 'treeSize', 'leafHash', 'proof', 'checkpoint'],
        },
        ConsistencyProof: {
          type: 'object',
          required: ['origin', 'size1', 'size2', 'proof', 'checkpoint1', 'checkpoint2'],
        },
      },
    },
    paths: {
      '/api/v1/health': { get: { summary: 'liveness', responses: { 200: { description: 'up' } } } },
      '/api/v1/openapi.json': {
        get: { summary: 'this document', responses: { 200: { description: 'OpenAPI 3.1' } } },
      },
      '/api/v1/artefacts': {
        post: {
          summary: 'store bytes (streamed) and record an artefact entry',
          security: bearer,
          parameters: [
            { name: 'kind', in: 'query', schema: { type: 'string' } },
            { name: 'name', in: 'query', schema: { type: 'string' } },
            { name: 'mediaType', in: 'query', schema: { type: 'string' } },
          ],
          requestBody: {
            required: true,
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          responses: {
            201: { description: 'stored and recorded', content: json({ type: 'object' }) },
            200: {
              description: 'already recorded under this kind and name',
              content: json({ type: 'object' }),
            },
            ...errors(400, 401, 413, 415),
          },
        },
      },
      '/api/v1/artefacts/{digest}': {
        get: {
          summary: 'the stored bytes, verified while streaming (Repr-Digest, RFC 9530)',
          security: bearer,
          parameters: [{ name: 'digest', in: 'path', required: true, schema: ref('Digest') }],
          responses: { 200: { description: 'the bytes' }, ...errors(400, 401, 404) },
        },
      },
      '/api/v1/requests': {
        post: {
          summary: 'open a promotion request (classified at once)',
          security: bearer,
          requestBody: { required: true, content: json(ref('OpenRequest')) },
          responses: {
            201: { description: 'opened', content: json(ref('ApprovalRequest')) },
            ...errors(400, 401, 409, 422),
          },
        },
        get: {
          summary: 'list requests',
          security: bearer,
          parameters: [
            {
              name: 'state',
              in: 'query',
              schema: { enum: ['open', 'approved', 'rejected', 'withdrawn', 'expired'] },
            },
            { name: 'model', in: 'query', schema: { type: 'string', description: 'registry/model' } },
            { name: 'awaiting', in: 'query', schema: { enum: ['me'] } },
          ],
          responses: { 200: { description: 'requests, oldest first' }, ...errors(400, 401) },
        },
      },
      '/api/v1/requests/{id}': {
        get: {
          summary: 'one request',
          security: bearer,
          parameters: [requestId],
          responses: {
            200: { description: 'the request', content: json(ref('ApprovalRequest')) },
            ...errors(400, 401, 404),
          },
        },
      },
      '/api/v1/requests/{id}/views': {
        get: {
          summary: "the request's view receipts",
          security: bearer,
          parameters: [requestId],
          responses: { 200: { description: 'view receipts' }, ...errors(401, 404) },
        },
        post: {
          summary:
            'review one evidence artefact: the view receipt is recorded, then the exact bytes are served',
          security: bearer,
          parameters: [requestId],
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              required: ['evidence'],
              properties: {
                evidence: { type: 'string', description: 'an evidence kind or one of its digests' },
              },
            }),
          },
          responses: {
            200: {
              description:
                'the bytes; Docket-View-Index, Docket-Artefact-Digest, Docket-Served-Digest headers',
            },
            ...errors(400, 401, 404, 409, 413),
          },
        },
      },
      '/api/v1/requests/{id}/decisions': {
        post: {
          summary: 'approve or reject, with the evidence digests as displayed',
          security: bearer,
          parameters: [requestId],
          requestBody: { required: true, content: json(ref('Decision')) },
          responses: {
            201: {
              description:
                'recorded; approvalsComplete tells whether it completed the request, and `promotion` (when the ' +
                'server has a registry) what its promotion step did: state not-run, refused (with the coded error; ' +
                'the decision stands), promoted or transition-pending',
              content: json({
                type: 'object',
                required: ['requestId', 'index', 'decision', 'state', 'approvalsComplete'],
                properties: { promotion: ref('DecisionPromotion') },
              }),
            },
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      '/api/v1/requests/{id}/promotion': {
        get: {
          summary: "the request's promotion state, folded from its promotion and transition entries",
          security: bearer,
          parameters: [requestId],
          responses: {
            200: {
              description: 'none, transition-pending or promoted',
              content: json(ref('PromotionStatus')),
            },
            ...errors(400, 401, 500),
          },
        },
        post: {
          summary:
            'run the promotion gate on an approved request (the explicit step), or with resume complete a ' +
            'promotion whose event is written and whose transition is pending',
          security: bearer,
          parameters: [requestId],
          requestBody: {
            content: json({
              type: 'object',
              additionalProperties: false,
              properties: { resume: { type: 'boolean', default: false } },
            }),
          },
          responses: {
            201: {
              description: 'a transition was recorded: state promoted, or transition-pending (resume it)',
              content: json(ref('PromotionOutcome')),
            },
            200: {
              description: 'resume of a promotion already applied: nothing written or moved',
              content: json(ref('PromotionOutcome')),
            },
            ...errors(400, 401, 404, 409, 500, 502, 503),
          },
        },
      },
      '/api/v1/requests/{id}/withdrawal': {
        post: {
          summary: 'withdraw an open request (its requester only)',
          security: bearer,
          parameters: [requestId],
          requestBody: { content: json({ type: 'object', properties: { reason: { type: 'string' } } }) },
          responses: { 201: { description: 'withdrawn' }, ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/api/v1/log': {
        get: {
          summary: 'origin, size, verifier key, latest checkpoint',
          responses: { 200: { description: 'status' } },
        },
      },
      '/api/v1/log/checkpoint': {
        get: {
          summary: 'the latest checkpoint (C2SP signed note)',
          responses: { 200: { description: 'text/plain' } },
        },
      },
      '/api/v1/log/entries': {
        get: {
          summary: 'a page of entries, decoded and checked, with their DSSE envelopes',
          security: bearer,
          parameters: [count('start', 'query', false), count('limit', 'query', false)],
          responses: { 200: { description: 'entries' }, ...errors(400, 401) },
        },
      },
      '/api/v1/log/entries/{index}': {
        get: {
          summary: 'one entry',
          security: bearer,
          parameters: [count('index', 'path', true)],
          responses: { 200: { description: 'the entry' }, ...errors(400, 401, 404) },
        },
      },
      '/api/v1/log/proofs/inclusion': {
        get: {
          summary: 'RFC 9162 §2.1.3 inclusion proof against a kept checkpoint',
          parameters: [count('index', 'query', true), count('treeSize', 'query', false)],
          responses: {
            200: { description: 'proof', content: json(ref('InclusionProof')) },
            ...errors(400, 404),
          },
        },
      },
      '/api/v1/log/proofs/consistency': {
        get: {
          summary: 'RFC 9162 §2.1.4 consistency proof between two kept checkpoints',
          parameters: [count('size1', 'query', true), count('size2', 'query', false)],
          responses: {
            200: { description: 'proof', content: json(ref('ConsistencyProof')) },
            ...errors(400, 404),
          },
        },
      },
      '/api/v1/log/anchors': {
        get: {
          summary: 'checkpoints anchored outside the database, read back and verified',
          security: bearer,
          responses: { 200: { description: 'anchors and rejected ones' }, ...errors(401, 500, 503) },
        },
      },
    },
  };
}
