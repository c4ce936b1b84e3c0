import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { signCaller, type Caller } from '#libs/auth';

export interface GatewayContext {
  caller: Caller;
}

/** Forwards every subgraph request with the caller in HMAC-signed headers; subgraphs refuse anything unsigned. */
export class SignedCallerDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly signingSecret: string,
  ) {
    super({ url, fetcher: passGraphQLErrorsOf400 });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const caller = 'caller' in context ? context.caller : undefined;
    if (!caller) return;
    for (const [name, value] of Object.entries(signCaller(caller, this.signingSecret))) request.http?.headers.set(name, value);
    request.http?.headers.set('x-request-id', caller.requestId);
  }
}

/**
 * Subgraphs answer variables they cannot accept (a date that does not exist) with HTTP 400 and a GraphQL error
 * body. The gateway would turn any non-2xx into an opaque failure, so such a response is passed on as a normal one
 * and its BAD_USER_INPUT reaches the client intact.
 */
async function passGraphQLErrorsOf400(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
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
