import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Mizan } from '../app/mizan.js';
import type { ErrorCode } from '../domain/errors.js';
import type { Action } from '../domain/policy.js';
import type { Principal } from '../domain/principal.js';
import { HTTP_STATUS } from './errors.js';

/**
 * A route is data: the server registers it, the OpenAPI document describes it, and the
 * authorization matrix test walks the same list — so no route can escape any of the three.
 */
export interface RouteContext<P, Q> {
  readonly app: Mizan;
  readonly principal: Principal;
  readonly params: P;
  readonly query: Q;
  readonly body: unknown;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface RouteDef<P = Record<string, string>, Q = Record<string, unknown>> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Fastify path syntax: /api/v1/incidents/:id */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  /** Who may call it: `public` reads (scope-filtered), `user` any signed-in account, or a policy action. */
  readonly access: 'public' | 'user' | Action;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType;
  readonly response?: z.ZodType;
  /** 201 for creates. */
  readonly status?: number;
  /**
   * Bodies of these media types reach the handler unparsed, as a Readable of at most `limit`
   * bytes (PAYLOAD_TOO_LARGE past it), instead of being buffered: for large uploads. Only this
   * route accepts them; JSON keeps the server's general limit.
   */
  readonly streamedBody?: { readonly mediaTypes: readonly string[]; readonly limit: number };
  /**
   * The body is a file of any content type, handed to the handler as a stream that fails with
   * PAYLOAD_TOO_LARGE past `limit` bytes (never buffered whole), instead of JSON.
   */
  readonly rawBody?: { readonly limit: number };
  /** The success response is a file (bytes with their own media type), not JSON. */
  readonly binaryResponse?: boolean;
  readonly handler: (ctx: RouteContext<P, Q>) => Promise<unknown>;
}

export function route<P, Q>(def: RouteDef<P, Q>): RouteDef {
  return def as unknown as RouteDef;
}

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const IdParams = z.strictObject({ id: z.string().min(1).max(128) });

export function pageOf(item: z.ZodType) {
  return z.object({
    items: z.array(item),
    next_cursor: z.string().nullable(),
    total: z.number().int(),
    total_capped: z.boolean().optional().describe('present (true) when total is a lower bound: the incident list stops counting at 10,000 matches'),
  });
}

const ERROR_CODES = Object.keys(HTTP_STATUS) as [ErrorCode, ...ErrorCode[]];

export const ErrorResponse = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES).describe(`The one code per failure, with its HTTP status: ${ERROR_CODES.map((c) => `${c} ${HTTP_STATUS[c]}`).join(', ')}`),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
  }),
});
