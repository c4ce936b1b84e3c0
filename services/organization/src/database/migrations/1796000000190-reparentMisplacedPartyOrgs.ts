import { Logger } from '@nestjs/common';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute, queryRows } from '#libs/database';

interface Misplaced {
  id: string;
  name: string;
  newParentId: string | null;
  nameTaken: boolean;
}

/**
 * Repairs what moves did before party organisations followed their units (party-org-relocation.ts): a community
 * moved to another street left its committee under the old street's committee, a compound moved to another community
 * left its branch under the old community's committee. Each organisation whose parent committee is tied to a unit that
 * does not contain it goes under the committee of the same kind at its unit's place, and every path below it is
 * rebuilt, as a move now does. One with no such committee there (or whose name is taken under it) stays where it is
 * and is logged, for the officials to create the committee and move it; nothing here can invent a committee.
 *
 * The SQL is a copy, not an import of the service's: a migration must keep doing what it did when it ran.
 * `down` leaves the repaired tree alone: putting committees back under the wrong street serves no one.
 */
export class ReparentMisplacedPartyOrgs1796000000190 implements MigrationInterface {
  name = 'ReparentMisplacedPartyOrgs1796000000190';

  async up(runner: QueryRunner): Promise<void> {
    const logger = new Logger(ReparentMisplacedPartyOrgs1796000000190.name);
    const misplaced = await queryRows<Misplaced>(
      runner,
      `WITH anchored AS (
         SELECT o.id, o.name, o.parent_id, u.path FROM party_org o JOIN org_unit u ON u.id = o.org_unit_id
         UNION ALL
         SELECT o.id, o.name, o.parent_id, u.path
           FROM party_org o JOIN institution i ON i.id = o.institution_id JOIN org_unit u ON u.id = i.org_unit_id)
       SELECT x.id, x.name, new_parent.id AS "newParentId",
              EXISTS (SELECT 1 FROM party_org sibling WHERE sibling.parent_id = new_parent.id AND sibling.name = x.name) AS "nameTaken"
         FROM anchored x
         JOIN party_org parent ON parent.id = x.parent_id AND parent.kind IN ('STREET_COMMITTEE', 'COMMUNITY_COMMITTEE')
         JOIN org_unit parent_unit ON parent_unit.id = parent.org_unit_id
         LEFT JOIN org_unit destination ON destination.id = ANY(x.path) AND destination.kind = parent_unit.kind
         LEFT JOIN party_org new_parent ON new_parent.org_unit_id = destination.id AND new_parent.kind = parent.kind
        WHERE NOT x.path @> ARRAY[parent_unit.id]
        ORDER BY x.name, x.id`,
    );
    const repairable = misplaced.filter((org) => org.newParentId !== null && !org.nameTaken);
    const stranded = misplaced.filter((org) => !repairable.includes(org));
    if (stranded.length > 0) {
      logger.warn(
        `${stranded.length} party organisation(s) lie outside their parent's unit and have no committee to go to: ` +
          stranded.map((org) => `${org.name} (${org.id})`).join(', '),
      );
    }
    if (repairable.length === 0) return;
    await execute(
      runner,
      `WITH RECURSIVE plan (org_id, new_parent_id) AS (SELECT * FROM unnest($1::uuid[], $2::uuid[])),
       parent_to_be AS (
         SELECT o.id, COALESCE(plan.new_parent_id, o.parent_id) AS parent_id FROM party_org o LEFT JOIN plan ON plan.org_id = o.id),
       rebuilt (id, path) AS (
         SELECT plan.org_id, new_parent.path || plan.org_id
           FROM plan JOIN party_org new_parent ON new_parent.id = plan.new_parent_id
          WHERE NOT EXISTS (SELECT 1 FROM plan moving WHERE new_parent.path @> ARRAY[moving.org_id])
         UNION ALL
         SELECT child.id, rebuilt.path || child.id FROM rebuilt JOIN parent_to_be child ON child.parent_id = rebuilt.id)
       UPDATE party_org o
          SET path = rebuilt.path, parent_id = COALESCE(plan.new_parent_id, o.parent_id)
         FROM rebuilt LEFT JOIN plan ON plan.org_id = rebuilt.id
        WHERE o.id = rebuilt.id`,
      [repairable.map((org) => org.id), repairable.map((org) => org.newParentId)],
    );
    logger.log(
      `Re-parented ${repairable.length} party organisation(s) to the committee of their unit's place: ` +
        repairable.map((org) => org.name).join(', '),
    );
  }

  async down(): Promise<void> {
    // Deliberately nothing: see the class comment.
  }
}
