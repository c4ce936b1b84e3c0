// Owns the estimated cost of a GraphQL operation: the objects it may return, weighed by connection page sizes.
import {
  Kind,
  OperationTypeNode,
  getNamedType,
  getNullableType,
  getOperationAST,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** The page size a connection returns when `first` is not given, and the most it accepts (`#libs/pagination`). */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
/**
 * Items assumed in a list that is not a connection (a unit's ancestors, a household's residents, a case's history,
 * a range of months): such lists are bounded by the domain, not by the caller, and are short.
 */
export const PLAIN_LIST_SIZE = 10;

/**
 * The estimated cost of an operation: how many objects (rows, give or take) it may return. A field returning an
 * object costs 1 for each parent; a connection's `edges`/`nodes` cost its page size (`first`/`last`, literal or
 * variable, else the default 50; at most 500, which the services refuse above) for each connection; a plain list
 * costs `PLAIN_LIST_SIZE`; scalars cost nothing (they come with their row). Costs multiply down the tree, so
 * `orgUnits(first: 500) { edges { node { liaisons(first: 500) { edges { node { id } } } } } }` is about 250,000:
 * the rows the services would read. Nested connections are batched (one statement per page of parents), so the
 * count of objects, not of parents, is what the database does. Fragments are measured once per page size, so a
 * document whose fragments spread each other exponentially is measured in linear time (its cost may be Infinity).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  variables: Record<string, unknown> = {},
): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const variableDefaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variableDefaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const intOf = (value: ValueNode | undefined): number | null => {
    if (!value) return null;
    if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
    if (value.kind === Kind.VARIABLE) {
      const given = variables[value.name.value];
      if (typeof given === 'number') return given;
      if (given === undefined) return intOf(variableDefaults.get(value.name.value));
    }
    return null;
  };
  const pageSizeOf = (field: FieldNode): number => {
    const argument = field.arguments?.find((a) => a.name.value === 'first') ?? field.arguments?.find((a) => a.name.value === 'last');
    const size = intOf(argument?.value) ?? DEFAULT_PAGE_SIZE;
    return Math.min(Math.max(size, 0), MAX_PAGE_SIZE);
  };

  /** The cost of a selection set for one object of `type`; `pageSize` is set inside a connection. */
  const ofSelections = (selectionSet: SelectionSetNode, type: GraphQLCompositeType, pageSize: number | null): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += ofField(selection, type, pageSize);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        total += ofSelections(selection.selectionSet, isCompositeType(condition) ? condition : type, pageSize);
      } else {
        total += ofFragment(selection.name.value, pageSize);
      }
    }
    return total;
  };
  const ofFragment = (name: string, pageSize: number | null): number => {
    const key = `${name}:${pageSize}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    // A cycle is invalid anyway (graphql's NoFragmentCyclesRule reports it); stop instead of recursing forever.
    if (!fragment || !isCompositeType(type) || inProgress.has(key)) return 0;
    inProgress.add(key);
    const cost = ofSelections(fragment.selectionSet, type, pageSize);
    inProgress.delete(key);
    memo.set(key, cost);
    return cost;
  };
  const ofField = (field: FieldNode, parent: GraphQLCompositeType, pageSize: number | null): number => {
    const name = field.name.value;
    if (name.startsWith('__') || !field.selectionSet || !(isObjectType(parent) || isInterfaceType(parent))) return 0;
    const fields = parent.getFields();
    if (!Object.hasOwn(fields, name)) return 0;
    const definition = fields[name];
    const type = getNamedType(definition.type);
    if (!isCompositeType(type)) return 0;
    const isConnection = /Connection$/.test(type.name) && definition.args.some((a) => a.name === 'first' || a.name === 'last');
    let items = 1;
    if (isListType(getNullableType(definition.type))) {
      items = pageSize !== null && (name === 'edges' || name === 'nodes') ? pageSize : PLAIN_LIST_SIZE;
    }
    // Inside a connection its page size reaches edges/nodes; below an edge's node, a new scope starts.
    const childPageSize = isConnection ? pageSizeOf(field) : /Edge$/.test(type.name) ? pageSize : null;
    return items * (1 + ofSelections(field.selectionSet, type, childPageSize));
  };

  return ofSelections(operation.selectionSet, rootTypeOf(schema, operation), null);
}

function rootTypeOf(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLCompositeType {
  const root =
    operation.operation === OperationTypeNode.MUTATION
      ? schema.getMutationType()
      : operation.operation === OperationTypeNode.SUBSCRIPTION
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  return root ?? schema.getQueryType()!;
}
