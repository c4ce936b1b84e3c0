import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Monthly public disclosures (媒体公示) of retirees and freelancers whose household's grade earned praise or a reminder.
 *
 * - public_disclosure: one per district and month, DRAFT → APPROVED → PUBLISHED, or WITHDRAWN (final). Who prepared,
 *   last edited, approved, published and withdrew it, and when; the rendered texts once published. The approver is
 *   never the last person who edited the draft (four eyes), checked here too.
 * - public_disclosure_entry: one per disclosed resident (the resident id is kept for idempotency and audit, never
 *   shown), with only a masked name and the place at compound level ("XX社区 XX小区"); staff may exclude an entry
 *   from the draft, with a reason.
 * - public_disclosure_event: append-only log of every action on a disclosure (updates and deletes are refused).
 * - public_disclosure_correction: households whose grade was corrected after the disclosure was approved, in a way
 *   that would change it; the disclosure stands as approved, the difference is shown as pending.
 */
export class CreatePublicDisclosure1796000000405 implements MigrationInterface {
  name = 'CreatePublicDisclosure1796000000405';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE public_disclosure (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id       uuid NOT NULL,
        month             date NOT NULL CHECK (extract(day FROM month) = 1),
        state             text NOT NULL DEFAULT 'DRAFT' CHECK (state IN ('DRAFT', 'APPROVED', 'PUBLISHED', 'WITHDRAWN')),
        rule_version      integer NOT NULL,
        prepared_by       text NOT NULL,
        prepared_at       timestamptz NOT NULL DEFAULT now(),
        refreshed_at      timestamptz NOT NULL DEFAULT now(),
        -- The last person who changed the draft (excluded or included an entry); refreshes from grades are not a person.
        last_edited_by    text,
        last_edited_at    timestamptz,
        approved_by       text,
        approved_at       timestamptz,
        approval_note     text,
        published_by      text,
        published_at      timestamptz,
        withdrawn_by      text,
        withdrawn_at      timestamptz,
        withdrawal_reason text,
        template_id       uuid REFERENCES notice_template (id),
        subject           text,
        text_body         text,
        html_body         text,
        CONSTRAINT public_disclosure_once UNIQUE (district_id, month),
        CONSTRAINT public_disclosure_four_eyes CHECK (approved_by IS NULL OR last_edited_by IS NULL OR approved_by <> last_edited_by),
        CONSTRAINT public_disclosure_approved CHECK (state NOT IN ('APPROVED', 'PUBLISHED') OR (approved_by IS NOT NULL AND approved_at IS NOT NULL)),
        CONSTRAINT public_disclosure_published CHECK (state <> 'PUBLISHED' OR (published_at IS NOT NULL AND text_body IS NOT NULL AND html_body IS NOT NULL)),
        CONSTRAINT public_disclosure_withdrawn CHECK (state <> 'WITHDRAWN' OR (withdrawn_at IS NOT NULL AND withdrawal_reason IS NOT NULL))
      )`,
    );
    await execute(runner, `CREATE INDEX public_disclosure_month ON public_disclosure (month DESC, id)`);

    await execute(
      runner,
      `
      CREATE TABLE public_disclosure_entry (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        disclosure_id    uuid NOT NULL REFERENCES public_disclosure (id),
        -- Internal: who this is (one entry per resident and disclosure) and which household's grade earned it.
        resident_id      uuid NOT NULL,
        household_id     uuid NOT NULL,
        compound_id      uuid NOT NULL,
        masked_name      text NOT NULL CHECK (masked_name LIKE '%*%'),
        -- Community and compound names only: never a building, unit or room.
        place            text NOT NULL,
        kind             text NOT NULL CHECK (kind IN ('PRAISE', 'REMINDER')),
        grade            text NOT NULL,
        excluded_at      timestamptz,
        excluded_by      text,
        exclusion_reason text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT public_disclosure_entry_once UNIQUE (disclosure_id, resident_id),
        CONSTRAINT public_disclosure_entry_exclusion CHECK ((excluded_at IS NULL) = (exclusion_reason IS NULL))
      )`,
    );
    await execute(runner, `CREATE INDEX public_disclosure_entry_list ON public_disclosure_entry (disclosure_id, kind, place, id)`);
    await execute(runner, `CREATE INDEX public_disclosure_entry_household ON public_disclosure_entry (disclosure_id, household_id)`);

    await execute(
      runner,
      `
      CREATE TABLE public_disclosure_event (
        seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        disclosure_id uuid NOT NULL REFERENCES public_disclosure (id),
        entry_id      uuid,
        action        text NOT NULL CHECK (action IN ('PREPARED', 'REFRESHED', 'ENTRY_EXCLUDED', 'ENTRY_INCLUDED', 'APPROVED', 'PUBLISHED',
                                                      'WITHDRAWN', 'CORRECTION_PENDING')),
        actor         text NOT NULL,
        at            timestamptz NOT NULL DEFAULT now(),
        note          text
      )`,
    );
    await execute(runner, `CREATE INDEX public_disclosure_event_disclosure ON public_disclosure_event (disclosure_id, seq)`);
    await execute(
      runner,
      `
      CREATE FUNCTION public_disclosure_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'public_disclosure_event is append-only';
      END $$`,
    );
    await execute(
      runner,
      `
      CREATE TRIGGER public_disclosure_event_append_only BEFORE UPDATE OR DELETE ON public_disclosure_event
        FOR EACH ROW EXECUTE FUNCTION public_disclosure_event_append_only()`,
    );

    await execute(
      runner,
      `
      CREATE TABLE public_disclosure_correction (
        disclosure_id uuid NOT NULL REFERENCES public_disclosure (id),
        household_id  uuid NOT NULL,
        noted_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (disclosure_id, household_id)
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE public_disclosure_correction`);
    await execute(runner, `DROP TABLE public_disclosure_event`);
    await execute(runner, `DROP FUNCTION public_disclosure_event_append_only()`);
    await execute(runner, `DROP TABLE public_disclosure_entry`);
    await execute(runner, `DROP TABLE public_disclosure`);
  }
}
