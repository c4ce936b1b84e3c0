import { Injectable } from '@nestjs/common';
import { ArgsType, Field, ObjectType, Int, registerEnumType } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { addDays } from '#libs/calendar';
import { SqlParams, queryRows, type SqlExecutor } from '#libs/database';
import { DomainError } from '#libs/errors';
import { Connection, PageArgs, fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { OrgUnitRef } from '#libs/references';
import { Territory } from '#libs/territory';

/**
 * The quarterly rule (每季度至少一次管执联动): every street holds, each quarter, at least the joint actions its quarterly
 * campaign asks for (`campaign.required_actions`; 1 where the street has no quarterly campaign). An action counts for a
 * street when it was held (HELD or REPORTED) on a day of the quarter, Asia/Shanghai, on the street or a unit inside it.
 * The day after a quarter ends, the daily job closes it: one `joint_action_quarter` row per street, MET or MISSED; a
 * MISSED row is the street's escalation to the district, as a missed duty is escalated to the level above.
 */

export const DEFAULT_REQUIRED_ACTIONS = 1;

export interface QuarterDates {
  /** YYYY-Qn */
  key: string;
  startsOn: string;
  endsOn: string;
}

/** The quarter named `key` (YYYY-Qn); BAD_USER_INPUT INVALID_QUARTER otherwise. */
export function parseQuarter(key: string): QuarterDates {
  const match = /^(\d{4})-Q([1-4])$/.exec(key);
  if (!match) throw DomainError.badInput('quarter must look like 2026-Q3', 'INVALID_QUARTER', { quarter: key });
  const year = Number(match[1]);
  const number = Number(match[2]);
  const startsOn = `${year}-${String((number - 1) * 3 + 1).padStart(2, '0')}-01`;
  const endsOn = number === 4 ? `${year}-12-31` : addDays(`${year}-${String(number * 3 + 1).padStart(2, '0')}-01`, -1);
  return { key, startsOn, endsOn };
}

/** The quarter `date` (YYYY-MM-DD) lies in. */
export function quarterOf(date: string): QuarterDates {
  return parseQuarter(`${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`);
}

/** SQL: every street's required and held joint actions in the quarter from `startsOn` to `endsOn` (placeholders). */
const streetQuarters = (startsOn: string, endsOn: string) => `
  SELECT s.id AS street_id, s.name, s.path,
         coalesce((SELECT max(c.required_actions) FROM campaign c
                    WHERE c.kind = 'QUARTERLY_JOINT_ACTION' AND c.starts_on <= ${endsOn}::date AND c.ends_on >= ${startsOn}::date
                      AND s.id = ANY(c.target_unit_ids)), ${DEFAULT_REQUIRED_ACTIONS}) AS required,
         (SELECT count(*)::int FROM joint_action a
           WHERE a.status IN ('HELD', 'REPORTED')
             AND a.held_at >= (${startsOn}::date::timestamp AT TIME ZONE 'Asia/Shanghai')
             AND a.held_at < ((${endsOn}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
             AND EXISTS (SELECT 1 FROM territory_unit t WHERE t.id = ANY(a.target_unit_ids) AND t.path @> ARRAY[s.id])) AS held
    FROM territory_unit s
   WHERE s.kind = 'STREET'`;

/**
 * Closes the quarter before the one `today` lies in: each street's row once (ON CONFLICT DO NOTHING), so a rerun, a
 * redelivered job or one a day late writes nothing new, and a late-recorded action never rewrites an escalation.
 * Returns the quarter and how many streets it escalated now.
 */
export async function closePreviousQuarter(db: SqlExecutor, today: string): Promise<{ quarter: string; closed: number; missed: number }> {
  const quarter = quarterOf(addDays(quarterOf(today).startsOn, -1));
  const rows = await queryRows<{ state: QuarterCoverageState }>(
    db,
    `INSERT INTO joint_action_quarter (street_id, quarter, required, held, state)
     SELECT q.street_id, $3, q.required, q.held, CASE WHEN q.held >= q.required THEN 'MET' ELSE 'MISSED' END
       FROM (${streetQuarters('$1', '$2')}) q
     ON CONFLICT (street_id, quarter) DO NOTHING
     RETURNING state`,
    [quarter.startsOn, quarter.endsOn, quarter.key],
  );
  return { quarter: quarter.key, closed: rows.length, missed: rows.filter((r) => r.state === QuarterCoverageState.MISSED).length };
}

export enum QuarterCoverageState {
  /** The quarter is running (or has not been closed yet) and the street has not held enough actions. */
  OPEN = 'OPEN',
  MET = 'MET',
  /** Closed without enough actions: escalated to the district. */
  MISSED = 'MISSED',
}

registerEnumType(QuarterCoverageState, {
  name: 'QuarterCoverageState',
  description: 'Whether a street held the joint actions it must hold in a quarter.',
  valuesMap: {
    OPEN: { description: '进行中' },
    MET: { description: '已达标' },
    MISSED: { description: '未达标，已上报区级' },
  },
});

@ObjectType({ description: "A street's joint actions in a quarter against the quarterly rule (季度管执联动覆盖)." })
export class StreetQuarterCoverage {
  @Field(() => OrgUnitRef, { description: 'The street (镇街).' })
  street: OrgUnitRef;

  @Field({ description: 'YYYY-Qn' })
  quarter: string;

  @Field(() => Int, { description: 'Joint actions the street must hold in the quarter.' })
  required: number;

  @Field(() => Int, { description: 'Joint actions held on the street or inside it during the quarter (as closed, once closed).' })
  held: number;

  @Field(() => QuarterCoverageState, { description: 'OPEN while the quarter runs, then MET or MISSED (escalated to the district).' })
  state: QuarterCoverageState;

  @Field(() => Date, { nullable: true, description: 'When a MISSED quarter was escalated to the district.' })
  escalatedAt: Date | null;
}

@ObjectType({
  description:
    'A page of StreetQuarterCoverage items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class StreetQuarterCoverageConnection extends Connection(StreetQuarterCoverage, 'StreetQuarterCoverage') {}

@ArgsType()
export class QuarterCoverageArgs extends PageArgs {
  @Field({ description: 'YYYY-Qn, e.g. 2026-Q3.' })
  quarter: string;

  @Field(() => QuarterCoverageState, { nullable: true, description: 'Only streets in this state.' })
  state?: QuarterCoverageState | null;
}

interface CoverageRow {
  streetId: string;
  name: string;
  required: number;
  held: number;
  state: QuarterCoverageState;
  closedAt: Date | null;
}

@Injectable()
export class QuarterCoverageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  /** Every street of the caller's territory (or the street containing it) in a quarter, by name: closed figures, else live. */
  async coverage(caller: Caller, args: QuarterCoverageArgs): Promise<ConnectionShape<StreetQuarterCoverage>> {
    const quarter = parseQuarter(args.quarter);
    const params = new SqlParams();
    const from = `(
      SELECT live.street_id AS "streetId", live.name, live.path, coalesce(q.required, live.required) AS required,
             coalesce(q.held, live.held) AS held, q.closed_at AS "closedAt",
             coalesce(q.state, CASE WHEN live.held >= live.required THEN 'MET' ELSE 'OPEN' END) AS state
        FROM (${streetQuarters(params.add(quarter.startsOn), params.add(quarter.endsOn))}) live
        LEFT JOIN joint_action_quarter q ON q.street_id = live.street_id AND q.quarter = ${params.add(quarter.key)}
    ) cov`;
    const where: string[] = [];
    if (caller.orgUnitId) {
      const scope = await this.territory.find(caller.orgUnitId);
      where.push(
        `(cov.path @> ARRAY[${params.add(caller.orgUnitId)}::uuid] OR ${params.add(scope?.path ?? [])}::uuid[] @> ARRAY[cov."streetId"])`,
      );
    }
    if (args.state) where.push(`cov.state = ${params.add(args.state)}`);
    return fetchKeysetPage<CoverageRow, StreetQuarterCoverage>(
      this.dataSource,
      args,
      { select: 'cov.*', from, where, params, orderBy: ['cov.name', 'cov."streetId"'], keyOf: (row) => [row.name, row.streetId] },
      (rows) =>
        rows.map((row) =>
          Object.assign(new StreetQuarterCoverage(), {
            street: OrgUnitRef.of(row.streetId),
            quarter: quarter.key,
            required: row.required,
            held: row.held,
            state: row.state,
            escalatedAt: row.state === QuarterCoverageState.MISSED ? row.closedAt : null,
          }),
        ),
    );
  }
}
