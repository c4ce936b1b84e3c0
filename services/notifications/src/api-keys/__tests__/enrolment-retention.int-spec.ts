import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ensureDatabase, runMigrations, serviceDataSourceOptions, withDatabase } from '#libs/database';
import { testInfrastructure, workerDatabasePrefix } from '#libs/testing';
import { notificationsService } from '../../notifications.service-definition.js';
import { applyRetention } from '../../retention/retention-sql.js';
import { parseRetentionSettings } from '../../retention/retention-settings.js';

describe('retention of enrolment contacts', () => {
  const url = withDatabase(testInfrastructure().databaseUrl, `${workerDatabasePrefix()}enrolment_retention`);
  let dataSource: DataSource;

  /** An enrolment with a contact, its code expiring at `expiresAt`. */
  const enrolment = async (expiresAt: string): Promise<string> => {
    const [{ id }] = await dataSource.query(
      `INSERT INTO institution_enrolment (institution_id, code_hash, label, contact_name, contact_phone, issued_by, issued_at, expires_at)
       VALUES ($1, $2, '教务系统', '王建国', '13812345678', 'officer-li', $3::timestamptz - interval '3 days', $3) RETURNING id`,
      [randomUUID(), randomBytes(32), expiresAt],
    );
    return id;
  };
  const contactOf = async (id: string) =>
    (
      await dataSource.query(
        `SELECT contact_name AS name, contact_phone AS phone, label, issued_by AS "issuedBy" FROM institution_enrolment WHERE id = $1`,
        [id],
      )
    )[0];

  beforeAll(async () => {
    await ensureDatabase(testInfrastructure().databaseUrl, `${workerDatabasePrefix()}enrolment_retention`);
    dataSource = await new DataSource(
      serviceDataSourceOptions({ url, entities: [], migrations: notificationsService.migrations }),
    ).initialize();
    await runMigrations(dataSource);
    await dataSource.query(`TRUNCATE institution_enrolment CASCADE`);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('erases the contact of a code that expired unredeemed, and keeps it while the code is open', async () => {
    const firedAt = new Date('2026-12-01T19:30:00Z');
    const expired = await enrolment('2026-12-01T19:29:59Z');
    const open = await enrolment('2026-12-01T19:30:01Z');

    const result = await applyRetention(dataSource, firedAt, parseRetentionSettings({}));
    expect(result.enrolmentContactsErased).toBe(1);
    // The record of who issued which code stays; only the personal data goes.
    expect(await contactOf(expired)).toEqual({ name: null, phone: null, label: '教务系统', issuedBy: 'officer-li' });
    expect(await contactOf(open)).toEqual({ name: '王建国', phone: '13812345678', label: '教务系统', issuedBy: 'officer-li' });

    expect((await applyRetention(dataSource, firedAt, parseRetentionSettings({}))).enrolmentContactsErased).toBe(0);
  });

  it('deletes API-key audit rows after the audit period of unmasked reads, and keeps younger ones', async () => {
    const firedAt = new Date('2026-12-01T19:30:00Z');
    await dataSource.query(`TRUNCATE api_key_audit_event`);
    await dataSource.query(
      `INSERT INTO api_key_audit_event (occurred_at, kind, institution_id, actor, request_id)
       VALUES ($1::timestamptz - interval '1095 days 1 second', 'UNMASKED_READ', gen_random_uuid(), 'api-key:old', 'r1'),
              ($1::timestamptz - interval '1094 days', 'UNMASKED_READ', gen_random_uuid(), 'api-key:recent', 'r2')`,
      [firedAt],
    );
    expect((await applyRetention(dataSource, firedAt, parseRetentionSettings({}))).apiKeyAuditEventsDeleted).toBe(1);
    expect((await dataSource.query(`SELECT actor FROM api_key_audit_event`)).map((row: { actor: string }) => row.actor)).toEqual([
      'api-key:recent',
    ]);
    expect((await applyRetention(dataSource, firedAt, parseRetentionSettings({}))).apiKeyAuditEventsDeleted).toBe(0);
  });
});
