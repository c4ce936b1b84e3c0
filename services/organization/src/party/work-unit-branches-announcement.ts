import type { EntityManager } from 'typeorm';
import { execute } from '#libs/database';
import { EventType, outboxInsertFrom } from '#libs/messaging';

/** Members or branches per `work-unit-branches.changed` event when announcing all of them. */
const PER_EVENT = 500;

/** SQL (json): snapshots of the members in the uuid[] expression `ids`: their open WORK_UNIT registration's branch. */
const memberSnapshots = (ids: string) => `COALESCE((
  SELECT json_agg(json_build_object('partyMemberId', m.id, 'branchId', r.branch_id, 'version', nextval('work_unit_copy_version')) ORDER BY m.id)
    FROM party_member m LEFT JOIN branch_registration r ON r.party_member_id = m.id AND r.kind = 'WORK_UNIT' AND r.ended_at IS NULL
   WHERE m.id = ANY(${ids})), '[]'::json)`;

/** SQL (json): snapshots of the work-unit branches in the uuid[] expression `ids`, with all their secretary posts. */
const branchSnapshots = (ids: string) => `COALESCE((
  SELECT json_agg(json_build_object('id', o.id, 'version', nextval('work_unit_copy_version'), 'secretaries', COALESCE((
           SELECT json_agg(json_build_object('userId', s.user_id, 'partyMemberId', s.id, 'startsOn', p.starts_on::text, 'endsOn', p.ends_on::text) ORDER BY p.starts_on)
             FROM party_org_position p JOIN party_member s ON s.id = p.party_member_id
            WHERE p.party_org_id = o.id AND p.position = 'SECRETARY'), '[]'::json)) ORDER BY o.id)
    FROM party_org o
   WHERE o.id = ANY(${ids}) AND o.kind = 'WORK_UNIT_BRANCH'), '[]'::json)`;

/**
 * Records, in the transaction that changed them, one `work-unit-branches.changed` event with the current state of
 * the given members and branches (branches that are not work-unit branches are skipped; nothing when none is left).
 */
export async function announceWorkUnitBranches(
  manager: EntityManager,
  changed: { memberIds?: readonly string[]; branchIds?: readonly string[] },
): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('announceWorkUnitBranches must run inside the changing transaction');
  await execute(
    manager,
    outboxInsertFrom(
      '$3',
      `
      SELECT payload FROM (SELECT json_build_object('members', ${memberSnapshots('$1::uuid[]')}, 'branches', ${branchSnapshots('$2::uuid[]')}) AS payload) e
       WHERE json_array_length(payload->'members') + json_array_length(payload->'branches') > 0`,
    ),
    [changed.memberIds ?? [], changed.branchIds ?? [], EventType.WorkUnitBranchesChanged],
  );
}

/**
 * SQL recording the whole current state as `work-unit-branches.changed` events: every work-unit branch, and every
 * member with an open WORK_UNIT registration (a member households has no copy of has no branch), ≤ 500 per event.
 * For the seed and for announcing an existing database once.
 */
export const ANNOUNCE_ALL_WORK_UNIT_BRANCHES_SQL = `
  INSERT INTO outbox_event (id, type, payload)
  SELECT gen_random_uuid(), '${EventType.WorkUnitBranchesChanged}', json_build_object('members', ${memberSnapshots('batch.ids')}, 'branches', '[]'::json)
    FROM (SELECT array_agg(party_member_id) AS ids FROM (
            SELECT party_member_id, (row_number() OVER (ORDER BY party_member_id) - 1) / ${PER_EVENT} AS n
              FROM branch_registration WHERE kind = 'WORK_UNIT' AND ended_at IS NULL) r GROUP BY n) batch
  UNION ALL
  SELECT gen_random_uuid(), '${EventType.WorkUnitBranchesChanged}', json_build_object('members', '[]'::json, 'branches', ${branchSnapshots('batch.ids')})
    FROM (SELECT array_agg(id) AS ids FROM (
            SELECT id, (row_number() OVER (ORDER BY id) - 1) / ${PER_EVENT} AS n FROM party_org WHERE kind = 'WORK_UNIT_BRANCH') o GROUP BY n) batch`;
