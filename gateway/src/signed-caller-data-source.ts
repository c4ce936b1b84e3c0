import type { KeyObject } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { signGatewayRequest, type Caller } from '#libs/auth';
import { DomainError, ErrorCode } from '#libs/errors';
import { tracedFetch } from '#libs/telemetry';

export interface GatewayContext {
  caller: Caller;
}

export interface SubgraphSigning {
  /** The subgraph's name in the supergraph: the only subgraph that accepts the signature. */
  subgraph: string;
  key: KeyObject;
  ttlSeconds: number;
}

/**
 * Carries the caller from `willSendRequest` (which knows the request's context) to the fetcher (which sees the exact
 * body); the fetcher removes it, so it never leaves the gateway.
 */
const PENDING_CALLER_HEADER = 'x-gateway-pending-caller';

/**
 * Forwards every subgraph request with the caller in the gateway's EdDSA signature: made for this subgraph only, over
 * the exact bytes of the body sent, valid for seconds and once. Subgraphs refuse anything else.
 */
export class SignedCallerDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, signing: SubgraphSigning) {
    super({ url });
    this.fetcher = signingFetcher(signing);
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Health checks and schema loading carry no caller: they go out unsigned, and subgraphs refuse them.
    if (!('incomingRequestContext' in options)) return;
    const {
      request,
      context: { caller },
    } = options;
    request.http?.headers.set(PENDING_CALLER_HEADER, JSON.stringify(caller));
    request.http?.headers.set('x-request-id', caller.requestId);
  }
}

/** Signs the request as it is sent: the digest is of the very string Apollo serialised. */
export function signingFetcher({ subgraph, key, ttlSeconds }: SubgraphSigning, send = passGraphQLErrorsOf400) {
  return async (url: string, init?: RequestInit): Promise<Response> => {
    const headers = { ...(init?.headers as Record<string, string> | undefined) };
    const pending = Object.hasOwn(headers, PENDING_CALLER_HEADER) ? headers[PENDING_CALLER_HEADER] : undefined;
    delete headers[PENDING_CALLER_HEADER];
    if (pending !== undefined) {
      const caller = JSON.parse(pending) as Caller;
      const body = typeof init?.body === 'string' ? init.body : '';
      Object.assign(headers, await signGatewayRequest({ caller, subgraph, body, key, ttlSeconds }));
    }
    try {
      return await send(url, { ...init, headers });
    } catch (error) {
      throw subgraphUnavailable(subgraph, error);
    }
  };
}

/**
 * A subgraph that cannot be reached (refused, reset, unresolvable: fetch throws) fails only the fields it owns,
 * with a code and reason a client can act on, instead of fetch's bare TypeError, which the error formatter can only
 * call an unexpected internal error. The cause stays in the gateway (its message names internal addresses).
 */
function subgraphUnavailable(subgraph: string, cause: unknown): DomainError {
  return new DomainError(
    ErrorCode.INTERNAL_SERVER_ERROR,
    `The ${subgraph} service is unavailable; try again shortly`,
    'SUBGRAPH_UNAVAILABLE',
    {
      service: subgraph,
      cause: cause instanceof Error ? cause.name : 'unknown',
    },
  );
}

/**
 * Subgraphs answer variables they cannot accept (a date that does not exist) with HTTP 400 and a GraphQL error
 * body. The gateway would turn any non-2xx into an opaque failure, so such a response is passed on as a normal one
 * and its BAD_USER_INPUT reaches the client intact.
 */
async function passGraphQLErrorsOf400(url: string, init?: RequestInit): Promise<Response> {
  const response = await tracedFetch(url, init);
  if (response.status !== 400 || !response.headers.get('content-type')?.includes('json')) return response;
  const body = await response.text();
  const hasErrors = (() => {
    try {
      return Array.isArray((JSON.parse(body) as { errors?: unknown }).errors);
    } catch {
      return false;
    }
  })();
  return new Response(body, { status: hasErrors ? 200 : 400, headers: response.headers });
}
