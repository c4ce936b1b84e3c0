import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import type { ConnectionShape, PageArgs } from '#libs/pagination';
import { Territory } from '#libs/territory';
import { GradingRuleSet, type CreateGradingRuleSetInput } from './evaluation.models.js';
import { parseGradingRules } from './grading-rules.js';
import { GRADING_RULE_SETS, type RuleSetRow } from './grading-sql.js';

/** Versions of the grading rules per district; a district without its own uses the default (district null). */
@Injectable()
export class RuleSetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  /** The rules in force for a district's month: its own latest version effective by then, else the default's. */
  ruleSetFor(manager: EntityManager, districtId: string, month: string): Promise<RuleSetRow> {
    return GRADING_RULE_SETS.requireInForce(manager, districtId, month);
  }

  list(args: PageArgs): Promise<ConnectionShape<GradingRuleSet>> {
    return GRADING_RULE_SETS.list(this.dataSource, args, (row) => GradingRuleSet.from(row));
  }

  /** Publishes a new version for a district, effective from this month or later (past grades keep their rules). */
  async create(caller: Caller, input: CreateGradingRuleSetInput, now = new Date()): Promise<GradingRuleSet> {
    const rules = parseGradingRules({
      scoreStart: input.scoreStart,
      resultPenalty: { PASS: input.passPenalty, MINOR_ISSUE: input.minorIssuePenalty, FAIL: input.failPenalty },
      issuePenalty: Object.fromEntries(input.issuePenalties.map(({ issue, points }) => [issue, points])),
      thresholds: { QUALIFIED: input.qualifiedFrom, BASICALLY_QUALIFIED: input.basicallyQualifiedFrom },
      unqualifiedAtFails: input.unqualifiedAtFails,
      capIssues: [...new Set(input.capIssues)],
    });
    const district = await this.territory.requireInScope(caller, input.districtId);
    if (district.kind !== 'DISTRICT') throw DomainError.badInput('Grading rules are set per DISTRICT', 'NOT_A_DISTRICT');
    const row = await GRADING_RULE_SETS.publish(this.dataSource, caller, { ...input, districtId: district.id, rules }, now);
    return GradingRuleSet.from(row);
  }
}
