import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { addMonths, monthBeginsAt, monthStart, parseMonth } from '#libs/calendar';
import { SqlParams } from '#libs/database';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { VolunteerHoursGrouping, type VolunteerHoursArgs } from './volunteer.inputs.js';
import { VolunteerHours } from './volunteer.models.js';
import { territoryConditions } from './volunteer-sql.js';

interface HoursRow {
  key: string;
  volunteerId: string | null;
  teamId: string | null;
  hours: number;
  activities: number;
  volunteers: number;
}

/**
 * Approved volunteer hours per volunteer or per team in a month, for consoles. A month is that of the activity's
 * start in Asia/Shanghai, as in the `member_volunteer_hours` view; hours count where they were earned, so an organiser
 * sees the hours of activities in their territory.
 */
@Injectable()
export class VolunteerHoursService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(caller: Caller, args: VolunteerHoursArgs): Promise<ConnectionShape<VolunteerHours>> {
    const month = parseMonth(args.month);
    const byTeam = args.groupBy === VolunteerHoursGrouping.TEAM;
    const params = new SqlParams();
    const where = [
      's.hours IS NOT NULL',
      's.cancelled_at IS NULL',
      `a.status <> 'CANCELLED'`,
      `a.starts_at >= ${params.add(monthBeginsAt(month))}`,
      `a.starts_at < ${params.add(monthBeginsAt(addMonths(month, 1)))}`,
      ...(await territoryConditions(this.dataSource, params, caller, args.orgUnitId)),
    ];
    if (args.teamId) where.push(`v.team_id = ${params.add(args.teamId)}`);
    if (args.volunteerId) where.push(`v.id = ${params.add(args.volunteerId)}`);
    if (byTeam) where.push('v.team_id IS NOT NULL');
    const key = byTeam ? 'v.team_id' : 'v.id';
    const grouped = `(
      SELECT ${key}::text AS key, ${byTeam ? 'NULL' : 'v.id'} AS "volunteerId", ${byTeam ? 'v.team_id' : 'min(v.team_id::text)::uuid'} AS "teamId",
             sum(s.hours)::float8 AS hours, count(DISTINCT s.activity_id)::int AS activities, count(DISTINCT v.id)::int AS volunteers
        FROM volunteer_sign_up s
        JOIN volunteer v ON v.id = s.volunteer_id
        JOIN volunteer_activity a ON a.id = s.activity_id
        JOIN org_unit u ON u.id = a.org_unit_id
       WHERE ${where.join(' AND ')}
       GROUP BY ${key}) g`;
    return fetchKeysetPage<HoursRow, VolunteerHours>(
      this.dataSource,
      args,
      { select: 'g.*', from: grouped, where: [], params, orderBy: ['g.key'], keyOf: (row) => [row.key] },
      (rows) =>
        rows.map((row) =>
          Object.assign(new VolunteerHours(), {
            labelZh: '志愿时长',
            month: monthStart(month),
            volunteerId: row.volunteerId,
            teamId: row.teamId,
            hours: row.hours,
            activities: row.activities,
            volunteers: row.volunteers,
          }),
        ),
    );
  }
}
