/**
 * Every change to the territory tree, and every creation or re-parenting of a party organisation tied to it, takes
 * this transaction-scoped advisory lock (`pg_advisory_xact_lock`). Edits are rare; serialising them means a move never
 * races a creation that reads the old position of a unit (it would tie a new organisation to a parent that no longer
 * contains it, or copy a path the move is about to rewrite).
 */
export const TREE_WRITE_LOCK = 727_101;
