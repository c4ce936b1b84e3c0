import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Citizen reports (随手拍, 24小时举报电话, 市民观察团, Open311): the categories they are filed under (Open311 service
 * codes, reference data kept here so every database has them), the reports, and every status change with its note.
 */
export class CreateCitizenReports1796000000310 implements MigrationInterface {
  name = 'CreateCitizenReports1796000000310';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE report_category (
        code           text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
        name_zh        text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 50),
        description    text NOT NULL,
        "group"        text NOT NULL,
        response_hours integer NOT NULL CHECK (response_hours BETWEEN 1 AND 720),
        active         boolean NOT NULL DEFAULT true,
        sort_order     integer NOT NULL DEFAULT 0
      )`,
    );
    await execute(
      runner,
      `
      INSERT INTO report_category (code, name_zh, description, "group", response_hours, sort_order) VALUES
        ('MIXED_WASTE', '混投', '垃圾未分类或分类错误后投放（如其他垃圾混入可回收物桶）', '分类投放', 48, 1),
        ('BAG_DUMPED', '垃圾包乱丢', '垃圾袋被丢弃在投放点以外、楼道或路边', '分类投放', 24, 2),
        ('KITCHEN_WASTE_CONTAMINATED', '厨余垃圾不纯', '厨余垃圾桶中混有塑料袋、餐盒等杂质', '分类投放', 48, 3),
        ('HAZARDOUS_MISHANDLED', '有害垃圾处置不当', '电池、灯管、药品等有害垃圾未投入有害垃圾收集容器', '分类投放', 24, 4),
        ('BULKY_WASTE_DUMPED', '大件垃圾乱堆', '家具、装修垃圾等大件垃圾未按预约清运、随意堆放', '分类投放', 72, 5),
        ('BIN_OVERFLOW', '桶满溢', '分类垃圾桶已满未及时更换，垃圾溢出', '设施与清运', 12, 6),
        ('BIN_DAMAGED', '垃圾桶破损缺失', '分类桶破损、缺盖、标识不清或缺少某类桶', '设施与清运', 72, 7),
        ('COLLECTION_MISSED', '未按时清运', '收运车辆未按规定时间清运', '设施与清运', 24, 8),
        ('MIXED_COLLECTION', '混收混运', '分类投放的垃圾在收运时被混装', '设施与清运', 24, 9),
        ('POINT_UNTIDY', '投放点脏乱', '投放点异味、污水、周边环境脏乱', '设施与清运', 48, 10),
        ('OTHER', '其他', '其他与生活垃圾分类有关的问题', '其他', 72, 99)`,
    );
    await execute(
      runner,
      `
      CREATE TABLE citizen_report (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel          text NOT NULL CHECK (channel IN ('APP', 'HOTLINE', 'OBSERVER', 'OPEN311')),
        category_code    text NOT NULL REFERENCES report_category (code),
        description      text NOT NULL CHECK (length(description) <= 2000),
        org_unit_id      uuid,
        -- the compound's ancestor path (root first, itself last), copied from the territory at submission: scope
        unit_path        uuid[] NOT NULL DEFAULT '{}',
        lat              double precision CHECK (lat BETWEEN -90 AND 90),
        long             double precision CHECK (long BETWEEN -180 AND 180),
        -- free text a caller gave as the place (an Open311 address_string): may be an exact address, never public
        address_text     text CHECK (length(address_text) <= 500),
        photo_upload_ids uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(photo_upload_ids) <= 9),
        reporter_user_id text,
        reporter_name    text CHECK (length(reporter_name) <= 50),
        reporter_phone   text CHECK (length(reporter_phone) <= 20),
        submitted_by     text NOT NULL,
        status           text NOT NULL DEFAULT 'SUBMITTED'
                         CHECK (status IN ('SUBMITTED', 'TRIAGED', 'ASSIGNED', 'IN_PROGRESS', 'RESOLVED', 'REJECTED', 'DUPLICATE')),
        status_note      text,
        assignee_kind    text CHECK (assignee_kind IN ('BUREAU', 'TEAM', 'UNIT')),
        assignee_id      uuid,
        duplicate_of     uuid REFERENCES citizen_report (id),
        reopen_count     integer NOT NULL DEFAULT 0,
        submitted_at     timestamptz NOT NULL DEFAULT now(),
        due_at           timestamptz NOT NULL,
        closed_at        timestamptz,
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT citizen_report_location CHECK (org_unit_id IS NOT NULL OR lat IS NOT NULL OR address_text IS NOT NULL),
        CONSTRAINT citizen_report_coordinates CHECK ((lat IS NULL) = (long IS NULL)),
        CONSTRAINT citizen_report_assignee CHECK ((assignee_kind IS NULL) = (assignee_id IS NULL)),
        CONSTRAINT citizen_report_duplicate CHECK ((status = 'DUPLICATE') = (duplicate_of IS NOT NULL) AND duplicate_of <> id),
        CONSTRAINT citizen_report_closed CHECK ((status IN ('RESOLVED', 'REJECTED', 'DUPLICATE')) = (closed_at IS NOT NULL))
      )`,
    );
    await execute(runner, `CREATE INDEX citizen_report_submitted ON citizen_report (submitted_at DESC, id DESC)`);
    await execute(runner, `CREATE INDEX citizen_report_path ON citizen_report USING gin (unit_path)`);
    await execute(
      runner,
      `CREATE INDEX citizen_report_reporter ON citizen_report (reporter_user_id, submitted_at DESC) WHERE reporter_user_id IS NOT NULL`,
    );
    await execute(runner, `CREATE INDEX citizen_report_open_due ON citizen_report (due_at) WHERE closed_at IS NULL`);
    await execute(runner, `CREATE INDEX citizen_report_duplicate_of ON citizen_report (duplicate_of) WHERE duplicate_of IS NOT NULL`);
    await execute(
      runner,
      `
      CREATE TABLE citizen_report_history (
        id          bigserial PRIMARY KEY,
        report_id   uuid NOT NULL REFERENCES citizen_report (id) ON DELETE CASCADE,
        action      text NOT NULL CHECK (action IN ('SUBMIT', 'TRIAGE', 'ASSIGN', 'START', 'RESOLVE', 'REJECT', 'MARK_DUPLICATE', 'REOPEN')),
        from_status text,
        to_status   text NOT NULL,
        note        text CHECK (length(note) <= 1000),
        actor       text NOT NULL,
        at          timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await execute(runner, `CREATE INDEX citizen_report_history_report ON citizen_report_history (report_id, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE citizen_report_history`);
    await execute(runner, `DROP TABLE citizen_report`);
    await execute(runner, `DROP TABLE report_category`);
  }
}
