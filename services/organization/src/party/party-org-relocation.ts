import type { EntityManager } from 'typeorm';
import { queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { PARTY_ORG_KIND_LABEL_ZH, type PartyOrgKind } from './party-org-kind.js';

/**
 * Party organisations follow their territory unit when it moves (docs/organization.md, "Party organisations follow their unit").
 *
 * A territorial organisation must lie under its parent's unit: a community committee under the committee of the
 * street its community is in, a compound branch under the committee of its compound's community, a work-unit branch
 * under the committee of the street its institution is in. When a unit moves, the organisations anchored inside the
 * moved subtree whose parent committee is anchored outside it, at a unit that will no longer contain them, go under the
 * committee of the same kind at their new place: a community moved to another street takes its committee (with its
 * branches) under the new street's committee; a compound moved to another community takes its branch under the new
 * community's committee.
 *
 * When the destination has no committee to attach to, the move is refused (`CONFLICT` / `NO_PARTY_ORG_AT_DESTINATION`)
 * and nothing is written. Officials expect the party tree to match the territory ("the party leads where the
 * territory is"); leaving the committee under the old street would keep it answering to the wrong street secretary
 * (duties escalate to the parent, member counts and rankings roll up to it), and there is no valid parent to put it
 * under otherwise. The remedy is explicit: create the destination's committee first, then move.
 *
 * Only parents tied to a unit (street and community committees) are concerned: the district committee contains every
 * unit, and department committees answer to an institution, which no territory move changes.
 */

/** A unit about to move: the path its subtree will hang from, and how deep it sits today (its path's length). */
export interface UnitMove {
  unitId: string;
  unitName: string;
  newParentId: string;
  newParentName: string;
  /** The new parent unit's path: the moved unit's new path is this followed by the unit. */
  newParentPath: string[];
  /** Length of the moved unit's current path: `path[depth:]` is the unit and what lies below it. */
  depth: number;
}

/** An organisation that must follow the move, and where it goes. */
export interface FollowingPartyOrg {
  id: string;
  kind: PartyOrgKind;
  name: string;
  parentKind: PartyOrgKind;
  /** The unit, at the moved organisation's new place, whose committee is to become its parent. */
  destinationUnitId: string | null;
  destinationUnitName: string | null;
  newParentId: string | null;
  /** True when the new parent already has a child of the same name (names are unique among siblings). */
  nameTaken: boolean;
}

/**
 * The organisations to re-parent, computed from the paths the moved units are going to have (nothing is written yet,
 * so a refusal leaves the tree as it was). Run under the tree lock, after the move itself has been validated.
 */
export function planPartyOrgsFollowing(manager: EntityManager, move: UnitMove): Promise<FollowingPartyOrg[]> {
  return queryRows<FollowingPartyOrg>(
    manager,
    `WITH anchored AS (
       -- Organisations whose unit (or whose institution's unit, for work-unit branches) lies in the moved subtree.
       SELECT o.id, o.kind, o.name, o.parent_id, u.path
         FROM party_org o JOIN org_unit u ON u.id = o.org_unit_id
        WHERE u.path @> ARRAY[$1::uuid]
       UNION ALL
       SELECT o.id, o.kind, o.name, o.parent_id, u.path
         FROM party_org o JOIN institution i ON i.id = o.institution_id JOIN org_unit u ON u.id = i.org_unit_id
        WHERE u.path @> ARRAY[$1::uuid])
     SELECT x.id, x.kind, x.name, parent.kind AS "parentKind",
            destination.id AS "destinationUnitId", destination.name AS "destinationUnitName",
            new_parent.id AS "newParentId",
            EXISTS (SELECT 1 FROM party_org sibling WHERE sibling.parent_id = new_parent.id AND sibling.name = x.name) AS "nameTaken"
       FROM anchored x
       JOIN party_org parent ON parent.id = x.parent_id AND parent.kind IN ('STREET_COMMITTEE', 'COMMUNITY_COMMITTEE')
       JOIN org_unit parent_unit ON parent_unit.id = parent.org_unit_id
       -- The anchor's path once the move is done, computed as the territory move will write it.
       CROSS JOIN LATERAL (SELECT $2::uuid[] || x.path[$3:] AS path) AS after_move
       -- Each level of the tree has one kind, so the new place has exactly one unit of the parent unit's kind.
       LEFT JOIN org_unit destination ON destination.id = ANY(after_move.path) AND destination.kind = parent_unit.kind
       LEFT JOIN party_org new_parent ON new_parent.org_unit_id = destination.id AND new_parent.kind = parent.kind
      WHERE NOT after_move.path @> ARRAY[parent_unit.id]
      ORDER BY x.kind, x.name, x.id`,
    [move.unitId, move.newParentPath, move.depth],
  );
}

/** Refuses the move, before anything is written, when an organisation that must follow it has nowhere to go. */
export function requireDestinationsFor(move: UnitMove, following: readonly FollowingPartyOrg[]): void {
  const stranded = following.filter((org) => org.newParentId === null);
  if (stranded.length > 0) {
    const missing = [...new Map(stranded.map((org) => [`${org.parentKind}:${org.destinationUnitId}`, org])).values()];
    const wanted = missing
      .map((org) => `${org.parentKind} (${PARTY_ORG_KIND_LABEL_ZH[org.parentKind]}) of ${org.destinationUnitName ?? 'the destination'}`)
      .join(', ');
    throw DomainError.conflict(
      `Moving ${move.unitName} under ${move.newParentName} would leave ${stranded.map((org) => org.name).join(', ')} without a parent ` +
        `organisation: there is no ${wanted}. Create it first, then move.`,
      'NO_PARTY_ORG_AT_DESTINATION',
      {
        partyOrgs: stranded.map((org) => ({ id: org.id, kind: org.kind, name: org.name })),
        missing: missing.map((org) => ({ kind: org.parentKind, orgUnitId: org.destinationUnitId, orgUnitName: org.destinationUnitName })),
      },
    );
  }
  const clashing = following.filter((org) => org.nameTaken);
  if (clashing.length > 0) {
    throw DomainError.conflict(
      `Moving ${move.unitName} under ${move.newParentName} would put ${clashing.map((org) => org.name).join(', ')} next to an ` +
        `organisation of the same name; rename one first`,
      'DUPLICATE_NAME',
      { partyOrgs: clashing.map((org) => ({ id: org.id, kind: org.kind, name: org.name, newParentId: org.newParentId })) },
    );
  }
}

/**
 * Re-parents the planned organisations and rewrites the path of every organisation below them, in one statement.
 * Paths are rebuilt top down from the new parents (a recursive walk over the tree as it is to be), so it stays right
 * even when one re-parented organisation ends up under another (possible only where an earlier move, made before
 * organisations followed their units, left one under the wrong committee). Returns the ids whose path changed.
 */
export async function reparentPartyOrgs(manager: EntityManager, following: readonly FollowingPartyOrg[]): Promise<string[]> {
  if (following.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    manager,
    `WITH RECURSIVE plan (org_id, new_parent_id) AS (SELECT * FROM unnest($1::uuid[], $2::uuid[])),
     parent_to_be AS (
       SELECT o.id, COALESCE(plan.new_parent_id, o.parent_id) AS parent_id FROM party_org o LEFT JOIN plan ON plan.org_id = o.id),
     rebuilt (id, path) AS (
       -- Start from the re-parented organisations whose new parent stays where it is.
       SELECT plan.org_id, new_parent.path || plan.org_id
         FROM plan JOIN party_org new_parent ON new_parent.id = plan.new_parent_id
        WHERE NOT EXISTS (SELECT 1 FROM plan moving WHERE new_parent.path @> ARRAY[moving.org_id])
       UNION ALL
       SELECT child.id, rebuilt.path || child.id FROM rebuilt JOIN parent_to_be child ON child.parent_id = rebuilt.id)
     UPDATE party_org o
        SET path = rebuilt.path, parent_id = COALESCE(plan.new_parent_id, o.parent_id)
       FROM rebuilt LEFT JOIN plan ON plan.org_id = rebuilt.id
      WHERE o.id = rebuilt.id
     RETURNING o.id`,
    [following.map((org) => org.id), following.map((org) => org.newParentId)],
  );
  return rows.map((row) => row.id);
}
