import { Injectable } from '@nestjs/common';
import { Args, ArgsType, Field, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { SqlParams, execute, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { Connection, PageArgs, fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { CurrentCaller, LocalDateScalar } from '#libs/platform';

/**
 * The district's holiday calendar (节假日安排), one year at a time: the statutory holidays (the days off, weekends inside a
 * holiday period included) and the working weekends (调休上班). It decides when a collection point's holiday noon
 * opening applies: on a HOLIDAY day, never on a working weekend or an ordinary day. The State Council publishes each
 * year's schedule late in the year before; the district enters it (`setHolidayCalendar`) and may correct it.
 */

export enum CalendarDayKind {
  HOLIDAY = 'HOLIDAY',
  WORKING_WEEKEND = 'WORKING_WEEKEND',
}

registerEnumType(CalendarDayKind, {
  name: 'CalendarDayKind',
  description: 'How a day departs from the usual week: a public holiday off, or a weekend day worked (调休).',
  valuesMap: { HOLIDAY: { description: '法定节假日（放假）' }, WORKING_WEEKEND: { description: '调休上班的周末' } },
});

@ObjectType({ description: 'A day of the holiday calendar.' })
export class CalendarDay {
  @Field(() => LocalDateScalar, { description: 'The day (Asia/Shanghai).' })
  date: string;

  @Field(() => CalendarDayKind, { description: 'HOLIDAY (day off) or WORKING_WEEKEND (a weekend day that is worked).' })
  kind: CalendarDayKind;

  @Field({ description: 'The holiday it belongs to, e.g. 国庆节.' })
  holiday: string;
}

@ObjectType({
  description:
    'A page of CalendarDay items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class CalendarDayConnection extends Connection(CalendarDay, 'CalendarDay') {}

@ArgsType()
export class HolidayCalendarArgs extends PageArgs {
  @Field(() => Int, { description: 'The calendar year, e.g. 2026.' })
  year: number;
}

@InputType({ description: 'One day of the holiday calendar being set.' })
export class CalendarDayInput {
  @Field(() => LocalDateScalar, { description: 'A day of the year being set.' })
  date: string;

  @Field(() => CalendarDayKind, { description: 'HOLIDAY (day off) or WORKING_WEEKEND (a weekend day that is worked).' })
  kind: CalendarDayKind;

  @Field({ description: 'The holiday it belongs to, 1–20 characters.' })
  holiday: string;
}

const MAX_NAME = 20;
/** More days than any year's schedule has: a typo guard, not a rule. */
const MAX_DAYS = 80;

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw DomainError.badInput('year must be 2000–2100', 'INVALID_YEAR', { year });
}

@Injectable()
export class HolidayCalendar {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The kinds of `dates` (YYYY-MM-DD), in order: null for an ordinary day. One statement for a whole page of points. */
  async kindsOf(dates: readonly string[]): Promise<(CalendarDayKind | null)[]> {
    const rows = await queryRows<{ date: string; kind: CalendarDayKind }>(
      this.dataSource,
      `SELECT day::text AS date, kind FROM holiday_calendar_day WHERE day = ANY($1::date[])`,
      [dates],
    );
    const byDate = new Map(rows.map((row) => [row.date, row.kind]));
    return dates.map((date) => byDate.get(date) ?? null);
  }

  async days(args: HolidayCalendarArgs): Promise<ConnectionShape<CalendarDay>> {
    checkYear(args.year);
    const params = new SqlParams();
    return fetchKeysetPage<CalendarDay, CalendarDay>(
      this.dataSource,
      args,
      {
        select: `d.day::text AS date, d.kind, d.name AS holiday`,
        from: 'holiday_calendar_day d',
        where: [`d.day >= make_date(${params.add(args.year)}::int, 1, 1) AND d.day < make_date(${params.add(args.year)}::int + 1, 1, 1)`],
        params,
        orderBy: ['d.day'],
        keyOf: (row) => [row.date],
      },
      (rows) => rows.map((row) => Object.assign(new CalendarDay(), row)),
    );
  }

  /** Replaces a year's calendar in one transaction; bad input writes nothing. */
  async setYear(caller: Caller, year: number, days: CalendarDayInput[]): Promise<number> {
    checkYear(year);
    if (days.length > MAX_DAYS) throw DomainError.badInput(`At most ${MAX_DAYS} days a year`, 'TOO_MANY_DAYS');
    const seen = new Set<string>();
    const clean = days.map((day) => {
      if (Number(day.date.slice(0, 4)) !== year) {
        throw DomainError.badInput(`${day.date} is not in ${year}`, 'DATE_OUTSIDE_YEAR', { date: day.date });
      }
      if (seen.has(day.date)) throw DomainError.badInput(`${day.date} is listed twice`, 'DUPLICATE_DATE', { date: day.date });
      seen.add(day.date);
      const weekday = new Date(`${day.date}T00:00:00Z`).getUTCDay();
      if (day.kind === CalendarDayKind.WORKING_WEEKEND && weekday !== 0 && weekday !== 6) {
        throw DomainError.badInput(`${day.date} is not a Saturday or Sunday`, 'NOT_A_WEEKEND', { date: day.date });
      }
      const name = day.holiday.trim();
      if (name.length === 0 || name.length > MAX_NAME)
        throw DomainError.badInput(`holiday must be 1–${MAX_NAME} characters`, 'INVALID_NAME', { date: day.date });
      return { date: day.date, kind: day.kind, name };
    });
    await this.dataSource.transaction(async (manager) => {
      await execute(manager, `DELETE FROM holiday_calendar_day WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1)`, [year]);
      await execute(
        manager,
        `INSERT INTO holiday_calendar_day (day, kind, name, updated_by)
         SELECT d.date, d.kind, d.name, $2 FROM jsonb_to_recordset($1::jsonb) AS d(date date, kind text, name text)`,
        [JSON.stringify(clean), caller.userId],
      );
    });
    return clean.length;
  }
}

@Resolver()
export class HolidayCalendarResolver {
  constructor(private readonly calendar: HolidayCalendar) {}

  @Query(() => CalendarDayConnection, { description: "节假日安排: the district's holidays and working weekends of a year, by date." })
  holidayCalendar(@Args() args: HolidayCalendarArgs): Promise<CalendarDayConnection> {
    return this.calendar.days(args);
  }

  @Mutation(() => CalendarDayConnection, {
    description:
      "Replaces a year's holiday calendar (the district's). A date outside the year → DATE_OUTSIDE_YEAR, twice → DUPLICATE_DATE, " +
      'a working weekend on a weekday → NOT_A_WEEKEND; nothing written. Returns the first page of the year.',
  })
  async setHolidayCalendar(
    @CurrentCaller() caller: Caller,
    @Args('year', { type: () => Int, description: "The calendar year being set; its days replace the year's old ones." }) year: number,
    @Args('days', { type: () => [CalendarDayInput], description: 'Every holiday and working weekend of the year, each day once.' })
    days: CalendarDayInput[],
  ): Promise<CalendarDayConnection> {
    await this.calendar.setYear(caller, year, days);
    return this.calendar.days(Object.assign(new HolidayCalendarArgs(), { year, first: 100 }));
  }
}
