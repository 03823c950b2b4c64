// Large uploads (CSV imports of hundreds of MiB) must not be buffered as one string: a route that
// declares `streamedBody` gets its body as a byte-counted stream, in a scope of its own so that no
// other route accepts those media types.
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MizanError } from '../domain/errors.js';
import { formatBytes } from '../domain/evidence.js';

export function payloadTooLarge(limit: number): MizanError {
  return new MizanError('PAYLOAD_TOO_LARGE', `the body is larger than this route's limit of ${formatBytes(limit)}`, [{ path: ['body'], code: 'too_large', message: `at most ${limit} bytes` }]);
}

/** Passes bytes through and fails with PAYLOAD_TOO_LARGE as soon as more than `limit` have passed. */
export class ByteLimit extends Transform {
  bytes = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) done(payloadTooLarge(this.limit));
    else done(null, chunk);
  }
}

/** Register the parsers that hand the route its body as a stream, refusing a declared length over the limit up front. */
export function addStreamedBodyParsers(scope: FastifyInstance, mediaTypes: readonly string[], limit: number): void {
  for (const type of mediaTypes) {
    // A child scope inherits the root's text/plain parser (which buffers); this route replaces it.
    if (scope.hasContentTypeParser(type)) scope.removeContentTypeParser(type);
    scope.addContentTypeParser(type, (request: FastifyRequest, payload: NodeJS.ReadableStream, done: (err: Error | null, body?: unknown) => void) => {
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        done(payloadTooLarge(limit));
        return;
      }
      const limited = new ByteLimit(limit);
      payload.on('error', (e: Error) => limited.destroy(e));
      done(null, payload.pipe(limited));
    });
  }
}
