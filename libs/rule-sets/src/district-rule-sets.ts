import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '#libs/auth';
import { monthStart, parseMonth, shanghaiMonth } from '#libs/calendar';
import { SqlParams, queryFirst } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape, type PageArgs } from '#libs/pagination';

/**
 * Rules as data, versioned per district: grading rules in households, notice rules in notifications. (enforcement's
 * property-company assessment rules are versioned per street the same way: there `district_id` names the street.) A
 * district without rules of its own uses the default (district null). A version takes effect from a month on, so what was
 * decided for a past month keeps the rules that decided it, and every decision records the version it used.
 */
export interface RuleSetRow<Rules> {
  id: string;
  districtId: string | null;
  version: number;
  /** YYYY-MM-DD, the first day of the first month the rules apply to. */
  effectiveFrom: string;
  rules: Rules;
  description: string;
  createdBy: string;
  createdAt: Date;
}

const COLUMNS = `id, district_id AS "districtId", version, to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom", rules, description,
  created_by AS "createdBy", created_at AS "createdAt"`;

/** The table every rule set lives in; `table` must be a constant of the calling service, never input. */
export function ruleSetTableSql(table: string): string[] {
  return [
    `CREATE TABLE ${table} (
       id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       district_id    uuid,
       version        integer NOT NULL CHECK (version > 0),
       effective_from date NOT NULL CHECK (extract(day FROM effective_from) = 1),
       rules          jsonb NOT NULL,
       description    text NOT NULL,
       created_by     text NOT NULL,
       created_at     timestamptz NOT NULL DEFAULT now()
     )`,
    // district_id NULL is the default every district uses until it publishes rules of its own.
    `CREATE UNIQUE INDEX ${table}_version ON ${table} (coalesce(district_id, '00000000-0000-0000-0000-000000000000'::uuid), version)`,
    `CREATE UNIQUE INDEX ${table}_month ON ${table} (coalesce(district_id, '00000000-0000-0000-0000-000000000000'::uuid), effective_from)`,
  ];
}

export interface NewRuleSet<Rules> {
  districtId: string;
  /** YYYY-MM */
  effectiveFrom: string;
  rules: Rules;
  description: string;
}

export class DistrictRuleSets<Rules> {
  /** @param table the rule-set table; @param noun what the rules are called in errors, e.g. 'grading rules'. */
  constructor(
    private readonly table: string,
    private readonly noun: string,
  ) {}

  /** The rules in force for a district's month (YYYY-MM): its own latest version effective by then, else the default's. */
  async inForce(manager: EntityManager | DataSource, districtId: string, month: string): Promise<RuleSetRow<Rules> | null> {
    const row = await queryFirst<RuleSetRow<Rules>>(
      manager,
      `SELECT ${COLUMNS} FROM ${this.table}
        WHERE (district_id = $1 OR district_id IS NULL) AND effective_from <= $2
        ORDER BY district_id IS NULL, effective_from DESC LIMIT 1`,
      [districtId, monthStart(month)],
    );
    return row ?? null;
  }

  async requireInForce(manager: EntityManager | DataSource, districtId: string, month: string): Promise<RuleSetRow<Rules>> {
    const row = await this.inForce(manager, districtId, month);
    if (!row) throw DomainError.badInput(`No ${this.noun} are in force for ${month}`, 'NO_RULES');
    return row;
  }

  /** Every version, newest first; with `districtId`, only that district's own and the default's. */
  list<Model>(
    dataSource: DataSource,
    args: PageArgs,
    toModel: (row: RuleSetRow<Rules>) => Model,
    districtId?: string | null,
  ): Promise<ConnectionShape<Model>> {
    const params = new SqlParams();
    const where = districtId ? [`(district_id = ${params.add(districtId)}::uuid OR district_id IS NULL)`] : [];
    return fetchKeysetPage<RuleSetRow<Rules>, Model>(
      dataSource,
      args,
      {
        select: COLUMNS,
        from: this.table,
        where,
        params,
        orderBy: ['version', 'id'],
        keyOf: (row) => [row.version, row.id],
        descending: true,
      },
      (rows) => rows.map(toModel),
    );
  }

  /**
   * Publishes a new version for a district (already checked to be one the caller may govern), effective from this
   * month or later: months already decided keep their rules.
   */
  async publish(dataSource: DataSource, caller: Caller, input: NewRuleSet<Rules>, now = new Date()): Promise<RuleSetRow<Rules>> {
    const effectiveFrom = parseMonth(input.effectiveFrom, 'effectiveFrom');
    if (effectiveFrom < shanghaiMonth(now)) {
      throw DomainError.badInput(`New ${this.noun} cannot reach back into months already decided`, 'RULES_IN_THE_PAST');
    }
    const description = input.description.trim();
    if (description.length === 0 || description.length > 500)
      throw DomainError.badInput('description must be 1–500 characters', 'INVALID_DESCRIPTION');
    return dataSource.transaction(async (manager) => {
      // Versions count up across the default and the district's own rules; the lock keeps two publishers apart.
      await manager.query(`LOCK TABLE ${this.table} IN SHARE ROW EXCLUSIVE MODE`);
      const existing = await queryFirst<object>(manager, `SELECT 1 FROM ${this.table} WHERE district_id = $1 AND effective_from = $2`, [
        input.districtId,
        monthStart(effectiveFrom),
      ]);
      if (existing)
        throw DomainError.conflict(`${this.noun} effective from ${effectiveFrom} already exist for this district`, 'RULES_EXIST_FOR_MONTH');
      const [row]: RuleSetRow<Rules>[] = await manager.query(
        `INSERT INTO ${this.table} (district_id, version, effective_from, rules, description, created_by)
         SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM ${this.table} WHERE district_id = $1 OR district_id IS NULL
         RETURNING ${COLUMNS}`,
        [input.districtId, monthStart(effectiveFrom), JSON.stringify(input.rules), description, caller.userId],
      );
      return row;
    });
  }
}
