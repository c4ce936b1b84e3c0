import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';
import { ruleSetTableSql } from '#libs/rule-sets';

/** The first rules (version 1, every street): the score is the cases score alone, as it was before weights. */
const DEFAULT_WEIGHTS = { cases: 1, rectification: 0, compoundPassRate: 0, citizenReports: 0 };

/**
 * What the property-company assessment (物业管理考核) is computed from besides cases:
 *
 * - property_assessment_rule_set: the weights of its four parts, versioned per street (a rule-set table: its
 *   `district_id` names the street; NULL is the default every street uses until it publishes its own);
 * - property_compound_grades: per month, compound and property company, how many households were graded and how many
 *   passed, copied from households' `property-compound-grades.summarised`; it also says which compounds a company
 *   managed that month (its citizen reports are those about these compounds).
 */
export class CreatePropertyAssessmentRules1796000000700 implements MigrationInterface {
  name = 'CreatePropertyAssessmentRules1796000000700';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of ruleSetTableSql('property_assessment_rule_set')) await execute(runner, statement);
    await execute(
      runner,
      `INSERT INTO property_assessment_rule_set (district_id, version, effective_from, rules, description, created_by)
       VALUES (NULL, 1, '2020-01-01', $1, $2, 'migration')`,
      [JSON.stringify(DEFAULT_WEIGHTS), '物业管理考核办法（第1版）：按当月案件计分（立案扣2分、逾期未整改扣5分、处罚扣10分）。'],
    );
    await execute(
      runner,
      `
      CREATE TABLE property_compound_grades (
        month               date NOT NULL CHECK (extract(day FROM month) = 1),
        compound_id         uuid NOT NULL,
        property_company_id uuid NOT NULL,
        graded              integer NOT NULL CHECK (graded >= 0),
        passed              integer NOT NULL CHECK (passed BETWEEN 0 AND graded),
        PRIMARY KEY (month, property_company_id, compound_id)
      )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP TABLE property_compound_grades`);
    await execute(runner, `DROP TABLE property_assessment_rule_set`);
  }
}
