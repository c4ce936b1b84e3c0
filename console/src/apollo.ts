import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { currentToken } from './session';

/** The public graph, on the gateway that serves this page: every read goes through it with the official's token. */
export function createClient(): ApolloClient {
  const auth = new SetContextLink((previous) => {
    const token = currentToken();
    return token ? { headers: { ...(previous.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } } : {};
  });
  return new ApolloClient({
    link: auth.concat(new HttpLink({ uri: '/graphql' })),
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
