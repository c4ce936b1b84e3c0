import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Follow-up requests of enforcement's household cases (`case-follow-up.requested`): the community is asked to inspect
 * the household on or after the case's comply-by date (`due_on`). One row per case (its id is the key, so a
 * redelivered request cannot add a second). The first inspection recorded on or after `due_on` makes it DONE and is
 * kept here (id, result, time) as reported back to enforcement.
 *
 * The request goes with its household (ON DELETE CASCADE) like every other row about it; a household with
 * inspections cannot be removed, so a DONE request never loses its inspection. `inspection_id` has no foreign key for
 * the same reason the grades have none: it is a record of what was reported.
 */
export class CreateCaseFollowUpRequests1796000000320 implements MigrationInterface {
  name = 'CreateCaseFollowUpRequests1796000000320';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE case_follow_up_request (
        case_id           uuid PRIMARY KEY,
        household_id      uuid NOT NULL REFERENCES household (id) ON DELETE CASCADE,
        due_on            date NOT NULL,
        status            text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'DONE')),
        requested_at      timestamptz NOT NULL DEFAULT now(),
        inspection_id     uuid,
        inspection_result text CHECK (inspection_result IN ('PASS', 'MINOR_ISSUE', 'FAIL')),
        inspected_at      timestamptz,
        fulfilled_at      timestamptz,
        CONSTRAINT case_follow_up_request_done CHECK (
          (status = 'DONE') = (inspection_id IS NOT NULL) AND (status = 'DONE') = (inspection_result IS NOT NULL)
          AND (status = 'DONE') = (inspected_at IS NOT NULL) AND (status = 'DONE') = (fulfilled_at IS NOT NULL))
      )`,
    );
    // recordInspection looks up a household's open requests on every inspection: a small partial index.
    await execute(runner, `CREATE INDEX case_follow_up_request_open ON case_follow_up_request (household_id) WHERE status = 'OPEN'`);
    // The list joins households of a territory and pages by due date.
    await execute(runner, `CREATE INDEX case_follow_up_request_household ON case_follow_up_request (household_id, due_on)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE case_follow_up_request`);
  }
}
