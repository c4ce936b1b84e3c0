import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { monthStart, parseMonth } from '#libs/calendar';
import { SqlParams, queryFirst, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { maskName } from '#libs/privacy';
import {
  DUTY_CADENCE_LABEL_ZH,
  DUTY_KINDS,
  DUTY_KIND_LABEL_ZH,
  DUTY_RULES,
  DUTY_RULES_SQL,
  DutyCadence,
  DutyPeriodStatus,
  LIAISON_RULES_SQL,
  type DutyKind,
} from './duty-kinds.js';
import type { DutyComplianceArgs, DutyEscalationsArgs, DutyPeriodsArgs } from './duty.inputs.js';
import {
  DutyCompliance,
  DutyComplianceRate,
  DutyEscalation,
  DutyMemberCompliance,
  DutyPeriod,
  MyDuties,
  MyDuty,
  type DutyEscalationRow,
  type DutyPeriodRow,
  type DutyScope,
} from './duty.models.js';
import { visibleOrgCondition } from './duty-scope.js';

const PERIOD_COLUMNS = `d.id, d.party_member_id AS "partyMemberId", d.leader_id AS "leaderId", coalesce(m.name, ld.name) AS "memberName",
  d.party_org_id AS "partyOrgId", o.name AS "partyOrgName",
  o.kind AS "partyOrgKind", d.duty, d.period_start AS "periodStart", d.period_end AS "periodEnd", d.status, d.logs_count AS "logsCount",
  d.checked_at AS "checkedAt", d.met_late_at AS "metLateAt", e.escalated_to_party_org_id AS "escalatedToPartyOrgId", eo.name AS "escalatedToPartyOrgName"`;
const PERIOD_FROM = `duty_period d JOIN party_org o ON o.id = d.party_org_id
  LEFT JOIN party_member m ON m.id = d.party_member_id LEFT JOIN leader ld ON ld.id = d.leader_id
  LEFT JOIN duty_escalation e ON e.duty_period_id = d.id LEFT JOIN party_org eo ON eo.id = e.escalated_to_party_org_id`;

/**
 * SQL: period `d` ends in the month whose first day is the placeholder `first`: a day or month is the month it lies in,
 * a quarter belongs to its last month (the month it is closed with).
 */
const inMonth = (first: string) => `d.period_end >= ${first}::date AND d.period_end < (${first}::date + interval '1 month')`;

/** What the consoles read of duties: closed periods, escalations, compliance rates; and a member's own month. */
@Injectable()
export class DutyReportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Closed periods of posts in the caller's territory (optionally one organisation's subtree), latest first. */
  async periods(caller: Caller, args: DutyPeriodsArgs): Promise<ConnectionShape<DutyPeriod>> {
    const params = new SqlParams();
    const where = await this.scopeConditions(caller, params, args.partyOrgId ?? null);
    if (args.month) where.push(inMonth(params.add(monthStart(parseMonth(args.month)))));
    if (args.memberId) where.push(`d.party_member_id = ${params.add(args.memberId)}`);
    if (args.duty) where.push(`d.duty = ${params.add(args.duty)}`);
    if (args.status) where.push(`d.status = ${params.add(args.status)}`);
    return fetchKeysetPage<DutyPeriodRow, DutyPeriod>(
      this.dataSource,
      args,
      {
        select: PERIOD_COLUMNS,
        from: PERIOD_FROM,
        where,
        params,
        orderBy: ['d.period_start', 'd.id'],
        keyOf: (row) => [row.periodStart, row.id],
        descending: true,
      },
      (rows) => rows.map((row) => DutyPeriod.from(row)),
    );
  }

  /**
   * Escalations addressed to a party organisation (what a street committee sees of its communities' misses), or to
   * any organisation in the caller's territory; newest first.
   */
  async escalations(caller: Caller, args: DutyEscalationsArgs): Promise<ConnectionShape<DutyEscalation>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (args.partyOrgId) {
      await this.requireVisibleOrg(caller, args.partyOrgId);
      where.push(`e.escalated_to_party_org_id = ${params.add(args.partyOrgId)}`);
    } else {
      where.push(visibleOrgCondition('eo', params.add(caller.orgUnitId)));
    }
    if (args.month) where.push(inMonth(params.add(monthStart(parseMonth(args.month)))));
    return fetchKeysetPage<DutyEscalationRow, DutyEscalation>(
      this.dataSource,
      args,
      {
        select: `${PERIOD_COLUMNS}, e.id AS "escalationId", e.repeated, e.created_at AS "createdAt", e.created_at::text AS "createdAtKey", e.resolved_at AS "resolvedAt"`,
        from: `duty_escalation e JOIN duty_period d ON d.id = e.duty_period_id JOIN party_org o ON o.id = d.party_org_id
               LEFT JOIN party_member m ON m.id = d.party_member_id LEFT JOIN leader ld ON ld.id = d.leader_id
               JOIN party_org eo ON eo.id = e.escalated_to_party_org_id`,
        where,
        params,
        orderBy: ['e.created_at', 'e.id'],
        keyOf: (row) => [row.createdAtKey, row.escalationId],
        descending: true,
      },
      (rows) => rows.map((row) => DutyEscalation.from(row)),
    );
  }

  /** Due, met, missed and rate of the closed periods of a month: in total and per duty kind. */
  async compliance(caller: Caller, args: DutyComplianceArgs): Promise<DutyCompliance> {
    const month = parseMonth(args.month);
    const scope: DutyScope = { month, partyOrgId: args.partyOrgId ?? null, memberId: args.memberId ?? null };
    const params = new SqlParams();
    const where = await this.complianceConditions(caller, scope, params);
    const rows = await queryRows<{ duty: DutyKind; due: number; met: number }>(
      this.dataSource,
      `SELECT d.duty, count(*)::int AS due, count(*) FILTER (WHERE d.status = '${DutyPeriodStatus.MET}')::int AS met
         FROM duty_period d JOIN party_org o ON o.id = d.party_org_id
        WHERE ${where.join(' AND ')}
        GROUP BY d.duty`,
      params.values,
    );
    const byDuty = DUTY_KINDS.map((duty) => {
      const row = rows.find((r) => r.duty === duty);
      return DutyComplianceRate.of(duty, row?.due ?? 0, row?.met ?? 0);
    });
    const total = DutyComplianceRate.of(
      null,
      byDuty.reduce((sum, r) => sum + r.due, 0),
      byDuty.reduce((sum, r) => sum + r.met, 0),
    );
    return Object.assign(new DutyCompliance(), { month, partyOrgId: scope.partyOrgId, memberId: scope.memberId, total, byDuty, scope });
  }

  /**
   * Per member and duty, of the same periods as `compliance`, ordered by member id (a liaison leader who is not a
   * party member: by leader id, after the members).
   */
  async memberCompliance(caller: Caller, scope: DutyScope, args: PageArgs): Promise<ConnectionShape<DutyMemberCompliance>> {
    const params = new SqlParams();
    const where = await this.complianceConditions(caller, scope, params);
    type Row = {
      partyMemberId: string | null;
      leaderId: string | null;
      owner: string;
      memberName: string;
      duty: DutyKind;
      due: number;
      met: number;
    };
    return fetchKeysetPage<Row, DutyMemberCompliance>(
      this.dataSource,
      args,
      {
        select: `c.party_member_id AS "partyMemberId", c.leader_id AS "leaderId", c.owner, coalesce(m.name, ld.name) AS "memberName", c.duty, c.due, c.met`,
        from: `(SELECT d.party_member_id, d.leader_id,
                       coalesce(d.party_member_id::text, '~') || ':' || coalesce(d.leader_id::text, '') AS owner,
                       d.duty, count(*)::int AS due, count(*) FILTER (WHERE d.status = '${DutyPeriodStatus.MET}')::int AS met
                  FROM duty_period d JOIN party_org o ON o.id = d.party_org_id
                 WHERE ${where.join(' AND ')}
                 GROUP BY d.party_member_id, d.leader_id, d.duty) c
               LEFT JOIN party_member m ON m.id = c.party_member_id LEFT JOIN leader ld ON ld.id = c.leader_id`,
        where: [],
        params,
        orderBy: ['c.owner', 'c.duty'],
        keyOf: (row) => [row.owner, row.duty],
      },
      (rows) =>
        rows.map((row) =>
          Object.assign(new DutyMemberCompliance(), {
            partyMemberId: row.partyMemberId,
            leaderId: row.leaderId,
            memberNameMasked: maskName(row.memberName),
            rate: DutyComplianceRate.of(row.duty, row.due, row.met),
          }),
        ),
    );
  }

  /**
   * The caller's own duties in a month (their party member: `party_member.user_id` = the token's `sub`): per post (or
   * street liaised with, for a leader whose `party_member_id` it is) and duty, periods owed, met so far (closed or
   * not), closed periods missed, and their own logs. A quarterly duty shows the quarter the month lies in.
   */
  async myDuties(caller: Caller, monthArg: string): Promise<MyDuties> {
    const month = parseMonth(monthArg);
    const member = await queryFirst<{ id: string }>(this.dataSource, `SELECT id FROM party_member WHERE user_id = $1`, [caller.userId]);
    if (!member) throw DomainError.badInput("Your account is not a party member's", 'NOT_A_PARTY_MEMBER');
    const rows = await queryRows<{
      partyOrgId: string;
      partyOrgName: string;
      duty: DutyKind;
      owed: number;
      met: number;
      missed: number;
      logs: number;
    }>(
      this.dataSource,
      `WITH bounds AS (SELECT $2::date AS first, ($2::date + interval '1 month' - interval '1 day')::date AS last),
         held AS (
           SELECT p.party_org_id, o.name, duty_rule.duty, duty_rule.cadence, p.starts_on, p.ends_on
             FROM party_org_position p JOIN party_org o ON o.id = p.party_org_id
             JOIN ${DUTY_RULES_SQL} ON duty_rule.post_kind = o.kind
            WHERE p.party_member_id = $1 AND p.position = 'SECRETARY'
           UNION ALL
           -- A leader's liaisons, kept on the street's committee.
           SELECT o.id, o.name, liaison_rule.duty, liaison_rule.cadence, ll.starts_on, ll.ends_on
             FROM leader ld JOIN leader_liaison ll ON ll.leader_id = ld.id
             JOIN party_org o ON o.org_unit_id = ll.street_id AND o.kind = 'STREET_COMMITTEE'
             CROSS JOIN ${LIAISON_RULES_SQL}
            WHERE ld.party_member_id = $1),
         posts AS (
           SELECT h.party_org_id, h.name, h.duty, h.cadence, h.ends_on,
                  greatest(h.starts_on, b.first) AS held_from, least(coalesce(h.ends_on, b.last), b.last) AS held_to, b.first, b.last,
                  -- The period the month's duty belongs to: the month, or the quarter the month lies in.
                  CASE WHEN h.cadence = '${DutyCadence.QUARTERLY}' THEN date_trunc('quarter', b.first)::date ELSE b.first END AS period_first,
                  CASE WHEN h.cadence = '${DutyCadence.QUARTERLY}' THEN (date_trunc('quarter', b.first) + interval '3 months' - interval '1 day')::date
                       ELSE b.last END AS period_last
             FROM held h CROSS JOIN bounds b
            WHERE h.starts_on <= b.last AND (h.ends_on IS NULL OR h.ends_on >= b.first))
         SELECT po.party_org_id AS "partyOrgId", po.name AS "partyOrgName", po.duty,
                CASE WHEN po.cadence = '${DutyCadence.DAILY}' THEN po.held_to - po.held_from + 1
                     ELSE (coalesce(po.ends_on, po.period_last) >= po.period_last)::int END AS owed,
                CASE WHEN po.cadence = '${DutyCadence.DAILY}' THEN
                       (SELECT count(DISTINCT l.performed_on)::int FROM duty_log l
                         WHERE l.party_org_id = po.party_org_id AND l.duty = po.duty AND l.performed_on BETWEEN po.held_from AND po.held_to)
                     ELSE ((coalesce(po.ends_on, po.period_last) >= po.period_last) AND EXISTS (SELECT 1 FROM duty_log l
                         WHERE l.party_org_id = po.party_org_id AND l.duty = po.duty AND l.performed_on BETWEEN po.period_first AND po.period_last))::int END AS met,
                (SELECT count(*)::int FROM duty_period dp
                  WHERE dp.party_member_id = $1 AND dp.party_org_id = po.party_org_id AND dp.duty = po.duty AND dp.status = '${DutyPeriodStatus.MISSED}'
                    AND dp.period_end BETWEEN po.first AND po.last) AS missed,
                (SELECT count(*)::int FROM duty_log l
                  WHERE l.party_member_id = $1 AND l.party_org_id = po.party_org_id AND l.duty = po.duty AND l.performed_on BETWEEN po.first AND po.last) AS logs
           FROM posts po
          ORDER BY po.duty, po.party_org_id, po.held_from`,
      [member.id, monthStart(month)],
    );
    return Object.assign(new MyDuties(), {
      month,
      partyMemberId: member.id,
      duties: rows.map((row) =>
        Object.assign(new MyDuty(), {
          ...row,
          labelZh: DUTY_KIND_LABEL_ZH[row.duty],
          cadence: DUTY_RULES[row.duty].cadence,
          cadenceLabelZh: DUTY_CADENCE_LABEL_ZH[DUTY_RULES[row.duty].cadence],
        }),
      ),
    });
  }

  private async complianceConditions(caller: Caller, scope: DutyScope, params: SqlParams): Promise<string[]> {
    const where = await this.scopeConditions(caller, params, scope.partyOrgId);
    where.push(inMonth(params.add(monthStart(scope.month))));
    if (scope.memberId) where.push(`d.party_member_id = ${params.add(scope.memberId)}`);
    return where;
  }

  /** Conditions on `o` (the post's party org): in the caller's territory, and in `partyOrgId`'s subtree if given. */
  private async scopeConditions(caller: Caller, params: SqlParams, partyOrgId: string | null): Promise<string[]> {
    const where = [visibleOrgCondition('o', params.add(caller.orgUnitId))];
    if (partyOrgId) {
      await this.requireVisibleOrg(caller, partyOrgId);
      where.push(`o.path @> ARRAY[${params.add(partyOrgId)}::uuid]`);
    }
    return where;
  }

  private async requireVisibleOrg(caller: Caller, partyOrgId: string): Promise<void> {
    const org = await queryFirst<{ visible: boolean }>(
      this.dataSource,
      `SELECT ${visibleOrgCondition('o', '$2')} AS visible FROM party_org o WHERE o.id = $1`,
      [partyOrgId, caller.orgUnitId],
    );
    if (!org) throw DomainError.notFound('PartyOrg', partyOrgId);
    if (!org.visible) throw DomainError.forbidden('That party organisation is outside your territory', 'OUT_OF_SCOPE');
  }
}
