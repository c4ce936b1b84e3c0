import { expect } from '@jest/globals';
import type { GraphQLResponse } from './graphql-client.js';

/** The reason (`extensions.reason`) of an answer's first error: what a test of a refusal asserts. */
export const reasonOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.reason as string | undefined;

/** The code (`extensions.code`) of an answer's first error. */
export const codeOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.code as string | undefined;

/** An answer's data as a test reads it: the test asserts the fields it reads, so typing each answer would only repeat the query. */
export type AnswerData = any;

/** The data of an answer that must have no errors: the test fails, showing them, when it has. */
export async function dataOf<Data = AnswerData>(response: GraphQLResponse<unknown> | Promise<GraphQLResponse<unknown>>): Promise<Data> {
  const answer = await response;
  expect(answer.errors).toBeUndefined();
  return answer.data as Data;
}

/** The one root field of an answer that must have no errors (a mutation's result, a query's single field). */
export async function fieldOf(response: GraphQLResponse<unknown> | Promise<GraphQLResponse<unknown>>): Promise<AnswerData> {
  return Object.values(await dataOf<Record<string, AnswerData>>(response))[0];
}
