import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

const WASTE_STREAMS = `ARRAY['KITCHEN', 'RECYCLABLE', 'HAZARDOUS', 'OTHER']`;
const STATUSES = `'REQUESTED', 'ACCEPTED', 'COMPLETED', 'CANCELLED', 'REJECTED'`;

/**
 * Humane service (人性化管理): collection points with their opening hours (regular and 24-hour late drop-off points,
 * holiday noon openings) and door-to-door collection requests with their status history.
 */
export class CreateCollection1796000000230 implements MigrationInterface {
  name = 'CreateCollection1796000000230';

  async up(runner: QueryRunner): Promise<void> {
    // schedule: [{ "weekdays": [1..7], "opensAt": "06:30", "closesAt": "08:30" }], validated by the service.
    // Daily collection records refer to a point by its id.
    await execute(
      runner,
      `
      CREATE TABLE collection_point (
        id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id            uuid NOT NULL,
        name                   text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
        kind                   text NOT NULL CHECK (kind IN ('REGULAR', 'LATE_DROP_OFF')),
        location               text NOT NULL CHECK (length(location) BETWEEN 1 AND 200),
        waste_streams          text[] NOT NULL CHECK (cardinality(waste_streams) > 0 AND waste_streams <@ ${WASTE_STREAMS}),
        schedule               jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(schedule) = 'array'),
        holiday_noon_opens_at  text CHECK (holiday_noon_opens_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        holiday_noon_closes_at text CHECK (holiday_noon_closes_at ~ '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'),
        active                 boolean NOT NULL DEFAULT true,
        created_by             text NOT NULL,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT collection_point_name UNIQUE (compound_id, name),
        CONSTRAINT collection_point_holiday_window CHECK ((holiday_noon_opens_at IS NULL) = (holiday_noon_closes_at IS NULL)),
        CONSTRAINT collection_point_late_drop_off_has_no_windows
          CHECK (kind <> 'LATE_DROP_OFF' OR (schedule = '[]'::jsonb AND holiday_noon_opens_at IS NULL))
      )`,
    );

    await execute(
      runner,
      `
      CREATE TABLE door_to_door_collection (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id        uuid NOT NULL REFERENCES household (id) ON DELETE CASCADE,
        compound_id         uuid NOT NULL,
        property_company_id uuid,
        waste_streams       text[] NOT NULL CHECK (cardinality(waste_streams) > 0 AND waste_streams <@ ${WASTE_STREAMS}),
        preferred_date      date NOT NULL,
        preferred_window    text CHECK (preferred_window ~ '^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$'),
        note                text CHECK (length(note) <= 500),
        status              text NOT NULL CHECK (status IN (${STATUSES})),
        requested_by        text NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(runner, `CREATE INDEX door_to_door_collection_compound ON door_to_door_collection (compound_id, preferred_date)`);
    await execute(runner, `CREATE INDEX door_to_door_collection_household ON door_to_door_collection (household_id, preferred_date)`);

    await execute(
      runner,
      `
      CREATE TABLE door_to_door_collection_status_change (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        collection_id uuid NOT NULL REFERENCES door_to_door_collection (id) ON DELETE CASCADE,
        from_status   text CHECK (from_status IN (${STATUSES})),
        to_status     text NOT NULL CHECK (to_status IN (${STATUSES})),
        changed_by    text NOT NULL,
        note          text CHECK (length(note) <= 500),
        changed_at    timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(
      runner,
      `CREATE INDEX door_to_door_collection_status_change_collection ON door_to_door_collection_status_change (collection_id, id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE door_to_door_collection_status_change`);
    await execute(runner, `DROP TABLE door_to_door_collection`);
    await execute(runner, `DROP TABLE collection_point`);
  }
}
