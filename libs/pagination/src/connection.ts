import type { Type } from '@nestjs/common';
import { Directive, Field, Int, ObjectType } from '@nestjs/graphql';
import { encodeCursor, type PageRequest } from './page.js';

/** Every subgraph serves connections, so PageInfo is a value type they all resolve. */
@ObjectType({
  description: 'Where a page sits in a list: whether more items follow or precede it, and the cursors of its first and last items.',
})
@Directive('@shareable')
export class PageInfo {
  @Field({ description: 'True when more items follow this page: pass endCursor as `after` to fetch them.' })
  hasNextPage: boolean;

  @Field({ description: 'True when this page was fetched with an `after` cursor, i.e. items precede it.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page; null when the page is empty.' })
  startCursor: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item of the page, to pass as `after` for the next page; null when the page is empty.',
  })
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
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with the cursor to continue the list after it.` })
  class EdgeType implements Edge<T> {
    @Field({ description: 'Opaque cursor of this item: pass it as `after` to continue the list after it.' })
    cursor: string;

    @Field(() => node, { description: 'The item itself.' })
    node: T;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionType implements ConnectionShape<T> {
    @Field(() => [EdgeType], { description: "The items of this page, in the list's order, each with its cursor." })
    edges: Edge<T>[];

    @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursors to fetch them.' })
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
