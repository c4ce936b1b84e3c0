import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Permission, hasPermission, type Caller } from '#libs/auth';
import { monthStart, parseMonth } from '#libs/calendar';
import { SqlParams, queryFirst, queryOne } from '#libs/database';
import { DomainError } from '#libs/errors';
import { escapeHtml, htmlEscapeSql } from '#libs/html';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { PersonalDataAudit, maskNameSql } from '#libs/privacy';
import { Territory } from '#libs/territory';
import { NOTICE_KIND_LABEL_ZH } from '../templates/notice-kind.js';
import { monthInWords } from './notice-sql.js';
import { NoticeState } from './notice-state.js';
import { Notice, type MyNoticesArgs, type NoticeRow, type NoticesArgs } from './notice.models.js';

/**
 * The notice columns, with the resident's name masked (in the name and in both texts) unless `unmasked` (a SQL
 * boolean) holds: the institution a notice is addressed to reads it whole, as do staff with the right to personal data.
 */
function noticeColumns(unmasked: string): string {
  const masked = maskNameSql('n.resident_name');
  return `n.id, n.kind, to_char(n.month, 'YYYY-MM') AS month, n.institution_id AS "institutionId", n.household_id AS "householdId",
    CASE WHEN ${unmasked} THEN n.resident_name ELSE ${masked} END AS "residentName",
    n.to_guardian AS "toGuardian", n.grade, n.score, n.rule_version AS "ruleVersion", n.subject,
    CASE WHEN ${unmasked} THEN n.text_body ELSE replace(n.text_body, n.resident_name, ${masked}) END AS "textBody",
    CASE WHEN ${unmasked} THEN n.html_body ELSE replace(n.html_body, ${htmlEscapeSql('n.resident_name')}, ${htmlEscapeSql(masked)}) END AS "htmlBody",
    n.state, n.last_error AS "lastError", n.created_at AS "createdAt", n.sent_at AS "sentAt", n.delivered_at AS "deliveredAt",
    n.acknowledged_at AS "acknowledgedAt", n.withdrawn_at AS "withdrawnAt", n.withdrawal_reason AS "withdrawalReason",
    n.released_at AS "releasedAt"`;
}

/**
 * For the institution: its notices whole while in force; of a withdrawn one, the masked name (from the SQL) and a
 * withdrawal text instead of the original, so the praise or reminder it no longer stands behind is not handed out again.
 */
const INSTITUTION_COLUMNS = noticeColumns('n.withdrawn_at IS NULL');

function forInstitution(row: NoticeRow): NoticeRow {
  if (!row.withdrawnAt) return row;
  const label = NOTICE_KIND_LABEL_ZH[row.kind];
  const month = monthInWords(row.month);
  const text = `${row.residentName}${month}的${label}已撤回：该户当月的垃圾分类评定已更正，原${label}不再有效。请删除已收到的该通知及其副本。`;
  return { ...row, subject: `【已撤回】${label}（${month}）`, textBody: text, htmlBody: `<p>${escapeHtml(text)}</p>` };
}

/** States a notice leaves for DELIVERED once its institution has it in hand. */
const NOT_YET_DELIVERED = [NoticeState.PENDING, NoticeState.SENT, NoticeState.FAILED];

@Injectable()
export class NoticeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly audit: PersonalDataAudit,
  ) {}

  /**
   * An institution's own notices, newest month first. Fetching a notice delivers it: those the page returns that
   * were not yet DELIVERED become so (a school that pulls rather than takes webhooks still shows as reached).
   */
  async listForInstitution(caller: Caller, args: MyNoticesArgs): Promise<ConnectionShape<Notice>> {
    const institutionId = requireInstitution(caller);
    const params = new SqlParams();
    // Only released notices: one waiting for its month's objection window, or for an objection, is not the institution's yet.
    const where = [`n.institution_id = ${params.add(institutionId)}`, 'n.released_at IS NOT NULL'];
    this.addCommonFilters(args, params, where);
    return fetchKeysetPage<NoticeRow, Notice>(
      this.dataSource,
      args,
      {
        select: INSTITUTION_COLUMNS,
        from: 'notice n',
        where,
        params,
        orderBy: ['n.month', 'n.id'],
        keyOf: (row) => [row.month + '-01', row.id],
        descending: true,
      },
      async (rows) => {
        await this.markFetched(rows);
        await this.audit.recordRead(
          caller,
          'Notice',
          rows.filter((row) => !row.withdrawnAt).map((row) => row.id),
        );
        return rows.map((row) => Notice.from(forInstitution(row)));
      },
    );
  }

  /** Notices about households in the caller's territory (or under `orgUnitId`), newest month first. */
  async list(caller: Caller, args: NoticesArgs): Promise<ConnectionShape<Notice>> {
    const params = new SqlParams();
    const where: string[] = [];
    const root = args.orgUnitId ? (await this.territory.requireInScope(caller, args.orgUnitId)).id : caller.orgUnitId;
    if (root) where.push(`n.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${params.add(root)}::uuid])`);
    if (args.kind) where.push(`n.kind = ${params.add(args.kind)}`);
    if (args.institutionId) where.push(`n.institution_id = ${params.add(args.institutionId)}::uuid`);
    this.addCommonFilters(args, params, where);
    const unmasked = this.audit.mayRead(caller);
    return fetchKeysetPage<NoticeRow, Notice>(
      this.dataSource,
      args,
      {
        select: noticeColumns(String(unmasked)),
        from: 'notice n',
        where,
        params,
        orderBy: ['n.month', 'n.id'],
        keyOf: (row) => [row.month + '-01', row.id],
        descending: true,
      },
      async (rows) => {
        if (unmasked)
          await this.audit.recordRead(
            caller,
            'Notice',
            rows.map((row) => row.id),
          );
        return rows.map((row) => Notice.from(row));
      },
    );
  }

  /**
   * One notice: an institution reads only its own (another's is NOT_FOUND, so nothing tells it that the notice
   * exists); staff read those about households in their territory.
   */
  async get(caller: Caller, id: string): Promise<Notice> {
    if (caller.institutionId) {
      const row = await queryFirst<NoticeRow>(
        this.dataSource,
        `SELECT ${INSTITUTION_COLUMNS} FROM notice n WHERE n.id = $1 AND n.institution_id = $2 AND n.released_at IS NOT NULL`,
        [id, caller.institutionId],
      );
      if (!row) throw DomainError.notFound('Notice', id);
      await this.markFetched([row]);
      if (!row.withdrawnAt) await this.audit.recordRead(caller, 'Notice', [row.id]);
      return Notice.from(forInstitution(row));
    }
    const unmasked = this.audit.mayRead(caller);
    const row = await queryFirst<NoticeRow & { compoundPath: string[] | null }>(
      this.dataSource,
      `SELECT ${noticeColumns(String(unmasked))}, t.path::text[] AS "compoundPath"
         FROM notice n LEFT JOIN territory_unit t ON t.id = n.compound_id WHERE n.id = $1`,
      [id],
    );
    if (!row || (caller.orgUnitId !== null && !(row.compoundPath ?? []).includes(caller.orgUnitId)))
      throw DomainError.notFound('Notice', id);
    if (unmasked) await this.audit.recordRead(caller, 'Notice', [row.id]);
    return Notice.from(row);
  }

  /**
   * The institution confirms it has the notice. Once only: acknowledging again is a CONFLICT
   * (ALREADY_ACKNOWLEDGED), so a client can tell a replay from a first receipt; a withdrawn notice is a CONFLICT
   * (NOTICE_WITHDRAWN), there being nothing left to confirm; another institution's notice is NOT_FOUND.
   */
  async acknowledge(caller: Caller, id: string): Promise<Notice> {
    const institutionId = requireInstitution(caller);
    const row = await queryFirst<NoticeRow>(
      this.dataSource,
      `WITH n AS (
         UPDATE notice SET state = 'ACKNOWLEDGED', acknowledged_at = now(), acknowledged_by = $3,
                           delivered_at = coalesce(delivered_at, now()), last_error = NULL
          WHERE id = $1 AND institution_id = $2 AND state <> 'ACKNOWLEDGED' AND withdrawn_at IS NULL AND released_at IS NOT NULL
          RETURNING *
       ) SELECT ${INSTITUTION_COLUMNS} FROM n`,
      [id, institutionId, caller.userId],
    );
    if (row) return Notice.from(row);
    const existing = await queryFirst<{ acknowledgedAt: Date | null; withdrawnAt: Date | null }>(
      this.dataSource,
      `SELECT acknowledged_at AS "acknowledgedAt", withdrawn_at AS "withdrawnAt" FROM notice WHERE id = $1 AND institution_id = $2 AND released_at IS NOT NULL`,
      [id, institutionId],
    );
    if (!existing) throw DomainError.notFound('Notice', id);
    if (existing.withdrawnAt) {
      throw DomainError.conflict('This notice was withdrawn: its grade was corrected', 'NOTICE_WITHDRAWN', {
        withdrawnAt: existing.withdrawnAt.toISOString(),
      });
    }
    throw DomainError.conflict('This notice was acknowledged already', 'ALREADY_ACKNOWLEDGED', {
      acknowledgedAt: existing.acknowledgedAt?.toISOString() ?? null,
    });
  }

  private addCommonFilters(args: MyNoticesArgs, params: SqlParams, where: string[]): void {
    if (args.status) where.push(`n.state = ${params.add(args.status)}`);
    if (args.month) where.push(`n.month = ${params.add(monthStart(parseMonth(args.month)))}::date`);
    if (args.withdrawn !== undefined && args.withdrawn !== null)
      where.push(args.withdrawn ? 'n.withdrawn_at IS NOT NULL' : 'n.withdrawn_at IS NULL');
  }

  /** Fetched notices not yet delivered become DELIVERED, here and in the rows about to be returned. */
  private async markFetched(rows: NoticeRow[]): Promise<void> {
    const fresh = rows.filter((row) => NOT_YET_DELIVERED.includes(row.state));
    if (fresh.length === 0) return;
    const { now } = await queryOne<{ now: Date }>(
      this.dataSource,
      `WITH delivered AS (
         UPDATE notice SET state = 'DELIVERED', delivered_at = now(), last_error = NULL WHERE id = ANY($1::uuid[]) AND state = ANY($2::text[])
       ) SELECT now() AS now`,
      [fresh.map((row) => row.id), NOT_YET_DELIVERED],
    );
    for (const row of fresh) Object.assign(row, { state: NoticeState.DELIVERED, deliveredAt: now, lastError: null });
  }
}

/** The institution an API-key caller speaks for; staff tokens have none. */
export function requireInstitution(caller: Caller): string {
  if (!caller.institutionId || !hasPermission(caller, Permission.INSTITUTION_SELF_SERVICE)) {
    throw DomainError.forbidden('Only an institution calling with its API key has notices of its own', 'NOT_AN_INSTITUTION');
  }
  return caller.institutionId;
}
