import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { SqlParams } from '#libs/database';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { Territory } from '#libs/territory';
import type { CheckInQuotaFlagRow } from './check-in.entity.js';
import type { CheckInQuotaFlagsArgs } from './check-in.inputs.js';
import { CheckInQuotaFlag } from './check-in.models.js';
import { parseWeek } from './check-in-rules.js';
import { householdInSubtree } from './photo-check-in.service.js';
import { flagMembersUnderQuota } from './quota-sql.js';

const FLAG_COLUMNS = `f.party_member_id AS "partyMemberId", f.week, f.household_id AS "householdId", f.check_ins AS "checkIns",
  f.quota, f.flagged_by AS "flaggedBy", f.flagged_at AS "flaggedAt"`;

@Injectable()
export class CheckInQuotaService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  flagWeek(week: string, flaggedBy: string): Promise<number> {
    return flagMembersUnderQuota(this.dataSource, week, flaggedBy);
  }

  /** A week's flags of member households in a unit of the caller's territory (default: all of it), fewest check-ins first. */
  async list(caller: Caller, args: CheckInQuotaFlagsArgs): Promise<ConnectionShape<CheckInQuotaFlag>> {
    const week = parseWeek(args.week);
    const params = new SqlParams();
    const where = [`f.week = ${params.add(week)}`];
    const unit = args.orgUnitId ?? caller.orgUnitId;
    if (args.orgUnitId) await this.territory.requireInScope(caller, args.orgUnitId);
    if (unit) where.push(householdInSubtree(params.add(unit)));
    return fetchKeysetPage<CheckInQuotaFlagRow, CheckInQuotaFlag>(
      this.dataSource,
      args,
      {
        select: FLAG_COLUMNS,
        from: 'check_in_quota_flag f JOIN household h ON h.id = f.household_id',
        where,
        params,
        orderBy: ['f.check_ins', 'f.party_member_id'],
        keyOf: (row) => [row.checkIns, row.partyMemberId],
      },
      (rows) => rows.map(CheckInQuotaFlag.from),
    );
  }
}
