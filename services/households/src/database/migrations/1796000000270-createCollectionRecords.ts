import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

const STREAMS = `'KITCHEN', 'RECYCLABLE', 'HAZARDOUS', 'OTHER'`;
const DESTINATIONS = `'RECYCLING_PLANT', 'KITCHEN_TREATMENT', 'INCINERATION', 'LANDFILL', 'HAZARDOUS_TREATMENT'`;

/**
 * Collection records: the weight of one waste stream collected at a collection point (or, without a point,
 * at a compound) on one Shanghai day and taken to one destination, entered by hand or imported from a transfer
 * station's CSV file. One row per (compound, point, day, stream, destination): a second weighing of the same stream
 * to the same destination on the same day is added up by the station before it exports.
 *
 * Records are history, like grades: no foreign key to collection_point (points are deactivated, never deleted, and the
 * service checks that a point exists before it writes), which also keeps the per-row foreign-key check out of bulk
 * imports and the demo year's million rows.
 *
 * Indexes serve the metrics to come (sums over months): per compound and day (the unique key, whose first column is
 * the compound, so a territory's compounds join on it), per point and day, and per day with stream and destination
 * covering the weight (district per-day / per-stream / per-destination sums read only the index).
 */
export class CreateCollectionRecords1796000000270 implements MigrationInterface {
  name = 'CreateCollectionRecords1796000000270';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE collection_import (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
        file_name      text CHECK (length(file_name) <= 255),
        row_count      int NOT NULL CHECK (row_count > 0),
        total_kg       numeric(14, 2) NOT NULL CHECK (total_kg >= 0),
        imported_by    text NOT NULL,
        imported_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT collection_import_content UNIQUE (content_sha256)
      )`,
    );
    await execute(runner, `CREATE INDEX collection_import_newest ON collection_import (imported_at DESC, id DESC)`);

    await execute(
      runner,
      `
      CREATE TABLE collection_record (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compound_id         uuid NOT NULL,
        collection_point_id uuid,
        day                 date NOT NULL,
        stream              text NOT NULL CHECK (stream IN (${STREAMS})),
        weight_kg           numeric(10, 2) NOT NULL CHECK (weight_kg >= 0),
        destination         text NOT NULL CHECK (destination IN (${DESTINATIONS})),
        vehicle             text CHECK (length(vehicle) <= 40),
        operator            text CHECK (length(operator) <= 60),
        source              text NOT NULL CHECK (source IN ('MANUAL', 'IMPORT')),
        import_id           uuid REFERENCES collection_import (id),
        recorded_by         text NOT NULL,
        recorded_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT collection_record_source CHECK ((source = 'IMPORT') = (import_id IS NOT NULL)),
        CONSTRAINT collection_record_unique UNIQUE NULLS NOT DISTINCT (compound_id, day, stream, destination, collection_point_id)
      )`,
    );
    await execute(
      runner,
      `CREATE INDEX collection_record_point_day ON collection_record (collection_point_id, day) WHERE collection_point_id IS NOT NULL`,
    );
    await execute(
      runner,
      `CREATE INDEX collection_record_day ON collection_record (day, stream, destination) INCLUDE (weight_kg, compound_id)`,
    );
    await execute(runner, `CREATE INDEX collection_record_import ON collection_record (import_id) WHERE import_id IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE collection_record`);
    await execute(runner, `DROP TABLE collection_import`);
  }
}
