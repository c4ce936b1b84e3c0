import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { addDays } from '#libs/calendar';
import { SqlParams } from '#libs/database';
import { OutboxRelay } from '#libs/messaging';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { Territory } from '#libs/territory';
import type { CheckInQuotaFlagRow } from './check-in.entity.js';
import type { CheckInQuotaFlagsArgs } from './check-in.inputs.js';
import { CheckInQuotaFlag } from './check-in.models.js';
import { parseWeek } from './check-in-rules.js';
import { householdInSubtree } from './photo-check-in.service.js';
import { flagMembersUnderQuota, recordCheckInSummaries } from './quota-sql.js';

/** Besides the week that just ended, the weeks before it whose counts are sent again (reviews come late). */
export const SUMMARY_WEEKS_BACK = 4;

const FLAG_COLUMNS = `f.party_member_id AS "partyMemberId", f.week, f.household_id AS "householdId", f.check_ins AS "checkIns",
  f.quota, f.flagged_by AS "flaggedBy", f.flagged_at AS "flaggedAt"`;

@Injectable()
export class CheckInQuotaService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly relay: OutboxRelay,
  ) {}

  flagWeek(week: string, flaggedBy: string): Promise<number> {
    return flagMembersUnderQuota(this.dataSource, week, flaggedBy);
  }

  /**
   * Tells organization (for the vanguard index) every member's check-ins of `week` and of the SUMMARY_WEEKS_BACK
   * weeks before it: `party-member-check-ins.summarised` through the outbox. Sending again is harmless: organization
   * keeps the latest count of each member and week. Returns the number of events.
   */
  async summarise(week: string): Promise<number> {
    const weeks = Array.from({ length: SUMMARY_WEEKS_BACK + 1 }, (_, i) => addDays(parseWeek(week), -7 * i));
    const events = await this.dataSource.transaction((manager) => recordCheckInSummaries(manager, weeks));
    if (events > 0) this.relay.kick();
    return events;
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
      (rows) => rows.map((row) => CheckInQuotaFlag.from(row)),
    );
  }
}
