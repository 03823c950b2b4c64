import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Mizan } from '../app/mizan.js';
import { MizanError } from '../domain/errors.js';
import { parseOrThrow } from '../domain/validation.js';
import { base64Encode, formatTlogProof, isLedgerError, parseTilePath, TILE_WIDTH } from '../ledger/index.js';
import { errorBody, HTTP_STATUS } from './errors.js';
import { fullTileOnce, ImmutableTileCache } from './tile-cache.js';

const Count = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const InclusionQuery = z.strictObject({ index: Count, size: Count });
const ConsistencyQuery = z.strictObject({ old: Count, new: Count });

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=5, must-revalidate';

function binary(reply: FastifyReply, bytes: Uint8Array, immutable: boolean) {
  return reply.header('content-type', 'application/octet-stream').header('cache-control', immutable ? IMMUTABLE : SHORT).send(Buffer.from(bytes));
}

/**
 * The log's read path, at C2SP tlog-tiles paths under /log. Everything here is public: non-public
 * records are in the log only as salted commitments.
 */
export function logRoutesPlugin(app: Mizan) {
  const tiles = new ImmutableTileCache();
  return async (f: FastifyInstance) => {
    f.get('/log/checkpoint', async (_req, reply) => {
      const { note } = await app.log.latestCheckpoint();
      return reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-cache').send(note);
    });

    f.get('/log/tile/*', async (req, reply) => {
      const rest = (req.params as { '*': string })['*'];
      let tile;
      try {
        // The path is attacker-controlled: the ledger parser accepts only canonical C2SP tile paths.
        tile = parseTilePath(`tile/${rest}`);
      } catch (e) {
        if (isLedgerError(e)) return reply.status(404).send(errorBody(new MizanError('NOT_FOUND', `not a tile path: ${e.message}`)));
        throw e;
      }
      const size = await app.log.size();
      const full = tile.width === TILE_WIDTH;
      if (tile.kind === 'entries') {
        if (tile.index * TILE_WIDTH + tile.width > size) return reply.status(404).send(errorBody(new MizanError('NOT_FOUND', 'that entry bundle is beyond the tree')));
        const build = () => app.log.entryBundle(tile.index, tile.width);
        return binary(reply, full ? await fullTileOnce(tiles, `entries/${tile.index}`, build) : await build(), full);
      }
      const span = TILE_WIDTH ** tile.level;
      if ((tile.index * TILE_WIDTH + tile.width) * span > size) return reply.status(404).send(errorBody(new MizanError('NOT_FOUND', 'that tile is beyond the tree')));
      const build = () => app.log.tile(tile.level, tile.index, tile.width);
      return binary(reply, full ? await fullTileOnce(tiles, `${tile.level}/${tile.index}`, build) : await build(), full);
    });

    f.get('/log/proof/inclusion', async (req, reply) => {
      const q = parseOrThrow(InclusionQuery, req.query, 'the query');
      const { leafHash, proof } = await app.log.inclusionProof(q.index, q.size);
      if ((req.headers.accept ?? '').includes('text/plain')) {
        const checkpoint = await app.log.checkpointAt(q.size);
        if (!checkpoint) throw new MizanError('NOT_FOUND', `no signed checkpoint of size ${q.size}; ask for a size that /log/checkpoint has published`);
        return reply.header('content-type', 'text/plain; charset=utf-8').send(formatTlogProof({ index: q.index, proof, checkpoint }));
      }
      return { index: q.index, size: q.size, leaf_hash: base64Encode(leafHash), proof: proof.map(base64Encode) };
    });

    f.get('/log/proof/consistency', async (req) => {
      const q = parseOrThrow(ConsistencyQuery, req.query, 'the query');
      if (q.old > q.new) throw new MizanError('VALIDATION_FAILED', 'old must not be larger than new', [{ path: ['old'], code: 'too_big', message: 'must not be larger than new' }]);
      // Every tree extends the empty one: RFC 9162 has no proof for it, so the proof is empty.
      const proof = q.old === 0 ? [] : await app.log.consistencyProof(q.old, q.new);
      return { old: q.old, new: q.new, proof: proof.map(base64Encode) };
    });

    f.get('/log/entry/:index', async (req, reply) => {
      const { index } = parseOrThrow(z.strictObject({ index: Count }), req.params, 'the path');
      const entry = await app.log.entry(index);
      if (!entry) return reply.status(HTTP_STATUS.NOT_FOUND).send(errorBody(new MizanError('NOT_FOUND', `no log entry ${index}`)));
      return reply.header('content-type', 'application/json').header('cache-control', IMMUTABLE).send(Buffer.from(entry));
    });

    f.get('/log/key', async (_req, reply) => reply.header('content-type', 'text/plain; charset=utf-8').send(app.log.verifierKey + '\n'));
  };
}
