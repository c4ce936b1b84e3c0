import type { Type } from '@nestjs/common';
import { Directive, Field, Int, ObjectType } from '@nestjs/graphql';
import { encodeCursor, type PageRequest } from './page.js';

/** Every subgraph serves connections, so PageInfo is a value type they all resolve. */
@ObjectType()
@Directive('@shareable')
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field()
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counted only when a client selects the field (see `lazy`). */
  totalCount: PromiseLike<number>;
}

/** Relay connection type for `node`, named `<name>Connection` with `<name>Edge` edges. */
export function Connection<T>(node: Type<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType implements Edge<T> {
    @Field()
    cursor: string;

    @Field(() => node)
    node: T;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionType implements ConnectionShape<T> {
    @Field(() => [EdgeType])
    edges: Edge<T>[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'All items matching the filter, not just this page.' })
    totalCount: PromiseLike<number>;
  }
  return ConnectionType;
}

/**
 * Builds a connection from rows fetched with `LIMIT page.limit + 1`: the extra row only tells whether a next page
 * exists. `keyOf` returns the sort-key values that identify a row's position.
 */
export function toConnection<Row, T>(
  rows: Row[],
  page: PageRequest,
  keyOf: (row: Row) => unknown[],
  toNode: (row: Row, index: number) => T,
  totalCount: () => Promise<number>,
): ConnectionShape<T> {
  const hasNextPage = rows.length > page.limit;
  const edges = rows.slice(0, page.limit).map((row, index) => ({ cursor: encodeCursor(keyOf(row)), node: toNode(row, index) }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: page.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: lazy(totalCount),
  };
}

/**
 * A promise that starts its work only when something awaits it. GraphQL awaits a field's value only when the
 * field is selected, so a count query behind `lazy` runs only for clients that ask for `totalCount`.
 */
export function lazy<T>(work: () => Promise<T>): PromiseLike<T> {
  let started: Promise<T> | undefined;
  return {
    then(onFulfilled, onRejected) {
      started ??= work();
      return started.then(onFulfilled, onRejected);
    },
  };
}
