import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '#libs/auth';
import { monthStart, parseMonth, shanghaiMonth } from '#libs/calendar';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { SqlParams } from '#libs/database';
import { Territory } from '#libs/territory';
import { GradingRuleSet, type CreateGradingRuleSetInput } from './evaluation.models.js';
import { parseGradingRules } from './grading-rules.js';
import { RULE_SET_COLUMNS as COLUMNS, ruleSetFor, type RuleSetRow } from './grading-sql.js';


/** Versions of the grading rules per district; a district without its own uses the default (district null). */
@Injectable()
export class RuleSetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  /** The rules in force for a district's month: its own latest version effective by then, else the default's. */
  async ruleSetFor(manager: EntityManager, districtId: string, month: string): Promise<RuleSetRow> {
    const row = await ruleSetFor(manager, districtId, month);
    if (!row) throw DomainError.badInput(`No grading rules are in force for ${month}`, 'NO_RULES');
    return row;
  }

  list(args: PageArgs): Promise<ConnectionShape<GradingRuleSet>> {
    return fetchKeysetPage<RuleSetRow, GradingRuleSet>(
      this.dataSource,
      args,
      { select: COLUMNS, from: 'grading_rule_set', where: [], params: new SqlParams(), orderBy: ['version', 'id'], keyOf: (row) => [row.version, row.id], descending: true },
      (rows) => rows.map(GradingRuleSet.from),
    );
  }

  /** Publishes a new version for a district, effective from this month or later (past grades keep their rules). */
  async create(caller: Caller, input: CreateGradingRuleSetInput, now = new Date()): Promise<GradingRuleSet> {
    const effectiveFrom = parseMonth(input.effectiveFrom, 'effectiveFrom');
    if (effectiveFrom < shanghaiMonth(now)) {
      throw DomainError.badInput('New rules cannot reach back into months already graded', 'RULES_IN_THE_PAST');
    }
    const description = input.description.trim();
    if (description.length === 0 || description.length > 500) throw DomainError.badInput('description must be 1–500 characters', 'INVALID_DESCRIPTION');
    const district = await this.territory.requireInScope(caller, input.districtId);
    if (district.kind !== 'DISTRICT') throw DomainError.badInput('Grading rules are set per DISTRICT', 'NOT_A_DISTRICT');
    const rules = parseGradingRules({
      scoreStart: input.scoreStart,
      resultPenalty: { PASS: input.passPenalty, MINOR_ISSUE: input.minorIssuePenalty, FAIL: input.failPenalty },
      issuePenalty: Object.fromEntries(input.issuePenalties.map(({ issue, points }) => [issue, points])),
      thresholds: { QUALIFIED: input.qualifiedFrom, BASICALLY_QUALIFIED: input.basicallyQualifiedFrom },
      unqualifiedAtFails: input.unqualifiedAtFails,
      capIssues: [...new Set(input.capIssues)],
    });
    return this.dataSource.transaction(async (manager) => {
      // Versions count up across the default and the district's own rules; the lock keeps two publishers apart.
      await manager.query(`LOCK TABLE grading_rule_set IN SHARE ROW EXCLUSIVE MODE`);
      const [existing] = await manager.query(
        `SELECT 1 FROM grading_rule_set WHERE district_id = $1 AND effective_from = $2`,
        [district.id, monthStart(effectiveFrom)],
      );
      if (existing) throw DomainError.conflict(`Rules effective from ${effectiveFrom} already exist for this district`, 'RULES_EXIST_FOR_MONTH');
      const [row]: RuleSetRow[] = await manager.query(
        `INSERT INTO grading_rule_set (district_id, version, effective_from, rules, description, created_by)
         SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM grading_rule_set WHERE district_id = $1 OR district_id IS NULL
         RETURNING ${COLUMNS}`,
        [district.id, monthStart(effectiveFrom), JSON.stringify(rules), description, caller.userId],
      );
      return GradingRuleSet.from(row);
    });
  }
}
