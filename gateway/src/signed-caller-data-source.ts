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
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const caller = 'caller' in context ? context.caller : undefined;
    if (!caller) return;
    for (const [name, value] of Object.entries(signCaller(caller, this.signingSecret))) request.http?.headers.set(name, value);
    request.http?.headers.set('x-request-id', caller.requestId);
  }
}
