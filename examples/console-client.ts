// How a console uses the generated documents: `request` takes a TypedDocumentNode, so the variables are checked
// against the operation and the result comes back typed. Run `npm run codegen` first (it writes ./generated/).
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { HouseholdsPageDocument, OpenCaseDocument } from './generated/graphql.js';
import type { EnforcementErrorReason, ErrorCode } from './generated/schema.js';

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: ErrorCode; reason?: string };
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | undefined,
    readonly reason: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export async function request<Result, Variables>(
  endpoint: string,
  token: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: GraphQLErrorBody[] };
  const [error] = body.errors ?? [];
  if (error || !body.data)
    throw new ApiError(error?.extensions?.code, error?.extensions?.reason, error?.message ?? `HTTP ${response.status}`);
  return body.data;
}

/** One page of a compound's households with the grade of a month: the addresses and grades are typed. */
export async function householdRows(endpoint: string, token: string, compoundId: string, month: string): Promise<string[]> {
  const { households } = await request(endpoint, token, HouseholdsPageDocument, { orgUnitId: compoundId, month, first: 20 });
  return households.edges.map(
    ({ node }) => `${node.compound.community?.name ?? ''} ${node.address}: ${node.grade?.gradeLabelZh ?? '未评价'}`,
  );
}

/** Opens a case against a household, telling a refusal for territory apart by its reason. */
export async function openHouseholdCase(
  endpoint: string,
  token: string,
  householdId: string,
  orgUnitId: string,
  articleCode: string,
): Promise<string> {
  try {
    const { openCase } = await request(endpoint, token, OpenCaseDocument, {
      input: { targetKind: 'HOUSEHOLD', householdId, orgUnitId, articleCode, evidenceDescription: '厨余垃圾混投' },
      idempotencyKey: `open-case:${householdId}`,
    });
    return openCase.stateLabelZh;
  } catch (error) {
    const outOfScope: EnforcementErrorReason = 'OUT_OF_SCOPE';
    if (error instanceof ApiError && error.code === 'FORBIDDEN' && error.reason === outOfScope) return '不在辖区内';
    throw error;
  }
}
