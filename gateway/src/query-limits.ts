import {
  GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValidationContext,
} from 'graphql';

export const MAX_QUERY_DEPTH = 12;
export const MAX_ALIASES = 30;

interface Cost {
  /** Deepest chain of nested fields. */
  depth: number;
  /** Aliased fields once fragments are expanded: a fragment spread twice counts its aliases twice. */
  aliases: number;
}

/**
 * Measures an operation with every fragment expanded. Each fragment is measured once and remembered, so a document
 * whose fragments spread each other many times costs linear time to check, not exponential.
 */
function measure(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): Cost {
  const memo = new Map<string, Cost>();
  const inProgress = new Set<string>();
  const ofFragment = (name: string): Cost => {
    const known = memo.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // A cycle is invalid anyway (graphql's NoFragmentCyclesRule reports it); stop instead of recursing forever.
    if (!fragment || inProgress.has(name)) return { depth: 0, aliases: 0 };
    inProgress.add(name);
    const cost = ofSelections(fragment.selectionSet);
    inProgress.delete(name);
    memo.set(name, cost);
    return cost;
  };
  const ofSelections = (selectionSet: SelectionSetNode): Cost => {
    const total: Cost = { depth: 0, aliases: 0 };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const child = selection.selectionSet ? ofSelections(selection.selectionSet) : { depth: 0, aliases: 0 };
        total.depth = Math.max(total.depth, 1 + child.depth);
        total.aliases += (selection.alias ? 1 : 0) + child.aliases;
      } else {
        const inner = selection.kind === Kind.INLINE_FRAGMENT ? ofSelections(selection.selectionSet) : ofFragment(selection.name.value);
        total.depth = Math.max(total.depth, inner.depth);
        total.aliases += inner.aliases;
      }
    }
    return total;
  };
  return ofSelections(operation.selectionSet);
}

/** A validation rule that reports, per operation, when `check` finds its cost too high. */
function costRule(check: (cost: Cost) => string | null) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(operation) {
        const problem = check(measure(operation, fragments));
        if (problem) context.reportError(new GraphQLError(problem, { nodes: [operation] }));
      },
    };
  };
}

/**
 * Refuses operations nested deeper than `maxDepth` fields: the graph has cycles (unit → parent → …), and an
 * unbounded query would turn one request into thousands of subgraph calls.
 */
export function maxDepthRule(maxDepth = MAX_QUERY_DEPTH) {
  return costRule(({ depth }) => (depth > maxDepth ? `Query depth ${depth} exceeds the limit of ${maxDepth}` : null));
}

/** Refuses operations with more than `maxAliases` aliases, counted after fragment expansion. */
export function maxAliasesRule(maxAliases = MAX_ALIASES) {
  return costRule(({ aliases }) => (aliases > maxAliases ? `${aliases} aliases exceed the limit of ${maxAliases}` : null));
}
