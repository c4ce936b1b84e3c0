import { parseGatewayKey, signGatewayRequest, type Caller } from '#libs/auth';

export interface GraphQLResponse<Data = Record<string, any>> {
  status: number;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** POSTs a GraphQL operation as a front end would. */
export async function postGraphQL<Data = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<Data>, 'status'>;
  return { status: response.status, ...body };
}

/**
 * POSTs an operation straight to a subgraph (`url` its /graphql), signed as the gateway signs it for `subgraph`: for
 * tests of what a subgraph itself guarantees. `env` holds the test's GATEWAY_SIGNING_KEY.
 */
export async function postAsGateway<Data = Record<string, any>>(
  env: Record<string, string>,
  subgraph: string,
  url: string,
  caller: Caller,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<Data>> {
  const body = JSON.stringify({ query, variables });
  const signature = await signGatewayRequest({ caller, subgraph, body, key: parseGatewayKey(env.GATEWAY_SIGNING_KEY, 'private') });
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signature }, body });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse<Data>, 'status'>) };
}

/** The `extensions.code` of each error, for assertions. */
export function errorCodes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((error) => String(error.extensions?.code));
}
