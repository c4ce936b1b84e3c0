import { expect } from '@jest/globals';
import type { GraphQLResponse } from './graphql-client.js';

/** The reason (`extensions.reason`) of an answer's first error: what a test of a refusal asserts. */
export const reasonOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.reason;

/** The code (`extensions.code`) of an answer's first error. */
export const codeOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;

/** The data of an answer that must have no errors: the test fails, showing them, when it has. */
export async function dataOf<Data = any>(response: GraphQLResponse<any> | Promise<GraphQLResponse<any>>): Promise<Data> {
  const answer = await response;
  expect(answer.errors).toBeUndefined();
  return answer.data as Data;
}

/** The one root field of an answer that must have no errors (a mutation's result, a query's single field). */
export async function fieldOf(response: GraphQLResponse<any> | Promise<GraphQLResponse<any>>): Promise<any> {
  return Object.values(await dataOf<Record<string, unknown>>(response))[0];
}
