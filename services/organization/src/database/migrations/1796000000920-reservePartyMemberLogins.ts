import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute, queryRows } from '#libs/database';
import { announceWorkUnitBranches } from '../../party/work-unit-branches-announcement.js';

/** A party member's phone login, `member-<uuid>` (libs/auth `partyMemberLogin`), as a case-insensitive pattern. */
export const PARTY_MEMBER_LOGIN_PATTERN = '^member-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/**
 * One identity for a party member across organization and households: the phone login `member-<id>` is member `<id>`
 * in both. households reads the id from the token subject; here it is the member's account (`user_id`).
 * - A `user_id` of that form names its own row only (CHECK), so no member can carry another member's login. Rows that
 *   did lose it (they named another member, whose login it is) and rows without an account get their own login.
 * - Secretary posts of work-unit branches travel to households by account: the branches whose secretaries' accounts
 *   changed are announced again, so households' copy recognises the new logins.
 * Down drops the CHECK only; the logins given stay (they are valid accounts).
 */
export class ReservePartyMemberLogins1796000000920 implements MigrationInterface {
  name = 'ReservePartyMemberLogins1796000000920';

  async up(runner: QueryRunner): Promise<void> {
    // Cleared first, then filled: a login freed by one row is never, even for a moment, taken by its owner twice.
    const cleared = await queryRows<{ id: string }>(
      runner,
      `UPDATE party_member SET user_id = NULL WHERE user_id ~* $1 AND user_id <> 'member-' || id::text RETURNING id`,
      [PARTY_MEMBER_LOGIN_PATTERN],
    );
    const filled = await queryRows<{ id: string }>(
      runner,
      `UPDATE party_member SET user_id = 'member-' || id::text WHERE user_id IS NULL RETURNING id`,
    );
    await execute(
      runner,
      `ALTER TABLE party_member ADD CONSTRAINT party_member_login_names_itself
         CHECK (user_id IS NULL OR user_id !~* '${PARTY_MEMBER_LOGIN_PATTERN}' OR user_id = 'member-' || id::text)`,
    );
    const changed = [...new Set([...cleared, ...filled].map((row) => row.id))];
    if (changed.length === 0) return;
    const branches = await queryRows<{ id: string }>(
      runner,
      `SELECT DISTINCT p.party_org_id AS id FROM party_org_position p JOIN party_org o ON o.id = p.party_org_id AND o.kind = 'WORK_UNIT_BRANCH'
        WHERE p.position = 'SECRETARY' AND p.party_member_id = ANY($1::uuid[])`,
      [changed],
    );
    // One event per 500 branches, as the announcement of all of them batches.
    for (let i = 0; i < branches.length; i += 500) {
      await announceWorkUnitBranches(runner.manager, { branchIds: branches.slice(i, i + 500).map((branch) => branch.id) });
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE party_member DROP CONSTRAINT party_member_login_names_itself`);
  }
}
