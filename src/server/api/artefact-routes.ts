import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { parseDigest } from '../../digest/index.js';
import { DocketError } from '../../errors/index.js';
import { parseArtefactKind, registerArtefact } from '../../evidence/index.js';
import { identityKey } from '../../identity/index.js';
import { ServerErrorCode } from '../errors.js';
import type { BodyLimits, DocketServices } from '../server-options.js';
import { authenticate } from './bearer.js';
import { optionalText } from './params.js';

const UPLOAD_TYPE = 'application/octet-stream';

/**
 * Artefacts: streaming upload (constant memory, hashed while written, recorded in the ledger with who uploaded it)
 * and streaming download (verified while streaming: a blob that no longer hashes to its digest ends the response
 * early instead of completing it, and Content-Length makes the truncation visible to the client).
 */
export function registerArtefactRoutes(
  app: FastifyInstance,
  services: DocketServices,
  limits: BodyLimits,
): void {
  const { ledger, artefacts, identity: verifier } = services.approvals;

  // Uploads are raw bytes, never buffered: the parser hands the stream on untouched.
  app.addContentTypeParser(UPLOAD_TYPE, (_request, payload, done) => done(null, payload));

  app.post('/api/v1/artefacts', async (request, reply) => {
    const { identity } = await authenticate(request, verifier);
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== UPLOAD_TYPE) {
      throw new DocketError(ServerErrorCode.UnsupportedMediaType, `upload the bytes as ${UPLOAD_TYPE}`, {
        details: { accepted: [UPLOAD_TYPE] },
      });
    }
    const declared = Number(request.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limits.uploadBytes) throw tooLarge(limits.uploadBytes);
    const q = request.query as Record<string, unknown>;
    const kind = parseArtefactKind(optionalText(q.kind, 'kind', 64) ?? 'other');
    const name = optionalText(q.name, 'name') ?? 'upload';
    const mediaType = optionalText(q.mediaType, 'mediaType', 255);
    const body = request.body as NodeJS.ReadableStream;
    const limited = body.pipe(byteLimit(limits.uploadBytes));
    body.on('error', (err) => limited.destroy(err));
    const result = await registerArtefact(ledger, artefacts, {
      source: { kind: 'stream', stream: limited },
      kind,
      name,
      ...(mediaType === undefined ? {} : { mediaType }),
      registeredBy: { kind: 'identity', name: identityKey(identity) },
    });
    return reply
      .code(result.appended ? 201 : 200)
      .header('location', `/api/v1/artefacts/${result.digest}`)
      .send(result);
  });

  app.get('/api/v1/artefacts/:digest', async (request, reply) => {
    await authenticate(request, verifier);
    const digest = parseDigest((request.params as { digest: string }).digest);
    const { size } = await artefacts.stat(digest);
    const stream = await artefacts.get(digest);
    const hex = digest.slice('sha256:'.length);
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-length', String(size))
      .header('content-disposition', 'attachment')
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('repr-digest', `sha-256=:${Buffer.from(hex, 'hex').toString('base64')}:`)
      .send(stream);
  });
}

function tooLarge(limit: number): DocketError {
  return new DocketError(ServerErrorCode.BodyTooLarge, `uploads are limited to ${limit} bytes`, {
    details: { limit },
  });
}

/** Passes bytes through until `limit`, then fails the stream with ERR_SERVER_BODY_TOO_LARGE. */
function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.byteLength;
      if (seen > limit) callback(tooLarge(limit));
      else callback(null, chunk);
    },
  });
}
