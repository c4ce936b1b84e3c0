import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { execute, queryRows } from '#libs/database';
import { EventType, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';

/**
 * Keeps households' copies of members' work-unit branches and of those branches' secretary posts (dual supervision:
 * who may give a check-in's work-branch review). Each snapshot is applied only when newer than the copy's, so
 * redelivered or reordered events are harmless.
 */
@Injectable()
@JobHandler(EventType.WorkUnitBranchesChanged)
export class WorkUnitBranchesChangedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.WorkUnitBranchesChanged>>> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<EventPayload<EventType.WorkUnitBranchesChanged>>): Promise<void> {
    const { members = [], branches = [] } = event.payload;
    await this.dataSource.transaction(async (manager) => {
      if (members.length > 0) {
        await execute(
          manager,
          `INSERT INTO member_work_unit_copy (party_member_id, branch_id, version)
           SELECT "partyMemberId", "branchId", version FROM jsonb_to_recordset($1::jsonb) AS m("partyMemberId" uuid, "branchId" uuid, version bigint)
           ON CONFLICT (party_member_id) DO UPDATE SET branch_id = excluded.branch_id, version = excluded.version, updated_at = now()
            WHERE member_work_unit_copy.version < excluded.version`,
          [JSON.stringify(members)],
        );
      }
      if (branches.length === 0) return;
      // The upsert locks each branch's row until commit, so its posts are replaced by one snapshot at a time.
      const applied = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO work_unit_branch_copy (id, version)
         SELECT id, version FROM jsonb_to_recordset($1::jsonb) AS b(id uuid, version bigint)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = now() WHERE work_unit_branch_copy.version < excluded.version
         RETURNING id`,
        [JSON.stringify(branches)],
      );
      if (applied.length === 0) return;
      const ids = applied.map((row) => row.id);
      await execute(manager, `DELETE FROM work_unit_branch_secretary_copy WHERE branch_id = ANY($1::uuid[])`, [ids]);
      // Posts of members without an account are left out: nobody signs in as them.
      await execute(
        manager,
        `INSERT INTO work_unit_branch_secretary_copy (branch_id, user_id, party_member_id, starts_on, ends_on)
         SELECT b.id, p."userId", p."partyMemberId", p."startsOn", p."endsOn"
           FROM jsonb_to_recordset($1::jsonb) AS b(id uuid, secretaries jsonb)
          CROSS JOIN jsonb_to_recordset(b.secretaries) AS p("userId" text, "partyMemberId" uuid, "startsOn" date, "endsOn" date)
          WHERE b.id = ANY($2::uuid[]) AND p."userId" IS NOT NULL`,
        [JSON.stringify(branches), ids],
      );
    });
  }
}
