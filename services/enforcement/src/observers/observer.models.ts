import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { shanghaiDate } from '#libs/calendar';
import { Connection } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { OrgUnitRef } from '#libs/references';

/** A row of observer_team, as the service selects it. */
export interface ObserverTeamRow {
  id: string;
  streetId: string;
  unitPath: string[];
  name: string;
  createdAt: Date;
}

/** A row of citizen_observer with its team's street, as the service selects it. */
export interface ObserverRow {
  id: string;
  teamId: string;
  streetId: string;
  unitPath: string[];
  userId: string;
  termFrom: string;
  termTo: string;
  appointedAt: Date;
}

@ObjectType('ObserverTeam', { description: '市民观察团 team: a street organises its citizen observers in teams.' })
export class ObserverTeam {
  @Field(() => ID, { description: 'Stable id of the team.' })
  id: string;

  @Field(() => OrgUnitRef, { description: 'The street (镇街) the team belongs to.' })
  street: OrgUnitRef;

  @Field({ description: 'Unique within the street, 1–50 characters (e.g. 第一观察小组).' })
  name: string;

  @Field({ description: 'When the team was created (ISO 8601 timestamp).' })
  createdAt: Date;

  /** Not a field: the street's path, for scope. */
  unitPath: string[];

  static from(row: ObserverTeamRow): ObserverTeam {
    return Object.assign(new ObserverTeam(), {
      id: row.id,
      street: OrgUnitRef.of(row.streetId),
      name: row.name,
      createdAt: row.createdAt,
      unitPath: row.unitPath,
    });
  }
}

@ObjectType({
  description:
    'A page of ObserverTeam items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class ObserverTeamConnection extends Connection(ObserverTeam, 'ObserverTeam') {}

@ObjectType('CitizenObserver', {
  description:
    "One term of a citizen observer (市民观察员) on the roster: the signed-in account that serves (the token's sub), its team and the term. " +
    "The roster keeps no name or phone; those stay with the identity provider. While serving, the account's OBSERVER reports are attributed to this entry.",
})
export class CitizenObserver {
  @Field(() => ID, { description: 'Stable id of this appointment (one term of one observer).' })
  id: string;

  @Field({ description: 'The account (token sub) that serves: its OBSERVER reports are attributed to this entry.' })
  userId: string;

  @Field(() => ObserverTeam, { description: 'The team the observer serves in.' })
  team: ObserverTeam;

  @Field(() => LocalDateScalar, { description: 'First day of the term (Asia/Shanghai).' })
  termFrom: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the term (Asia/Shanghai), inclusive.' })
  termTo: string;

  @Field({ description: 'Today (Asia/Shanghai) lies within the term.' })
  serving: boolean;

  @Field({ description: 'When the observer was appointed (ISO 8601 timestamp).' })
  appointedAt: Date;

  /** Not a field: the team's id, for the batched `team`. */
  teamId: string;

  static from(row: ObserverRow): CitizenObserver {
    const today = shanghaiDate();
    return Object.assign(new CitizenObserver(), {
      id: row.id,
      userId: row.userId,
      teamId: row.teamId,
      termFrom: row.termFrom,
      termTo: row.termTo,
      serving: row.termFrom <= today && today <= row.termTo,
      appointedAt: row.appointedAt,
    });
  }
}

@ObjectType({
  description:
    'A page of CitizenObserver items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class CitizenObserverConnection extends Connection(CitizenObserver, 'CitizenObserver') {}

/** Counts of observer reports submitted in a month. */
@ObjectType({ isAbstract: true })
export abstract class ObserverReportFigures {
  @Field(() => Int, { description: 'OBSERVER reports submitted in the month (Asia/Shanghai).' })
  reports: number;

  @Field(() => Int, { description: 'Of those, verified by staff (核实), as of now.' })
  verified: number;

  @Field(() => Float, { nullable: true, description: 'verified / reports, 0–1; null without reports.' })
  verifiedShare: number | null;

  @Field(() => Int, { description: 'Of those, turned into evidence (a case opened from the report).' })
  evidence: number;
}

@ObjectType('ObserverTeamMonth', { description: "A team's observer reports in a month." })
export class ObserverTeamMonth extends ObserverReportFigures {
  @Field(() => ObserverTeam, { description: 'The observer team.' })
  team: ObserverTeam;

  @Field(() => Int, { description: 'Observers of the team whose term overlaps the month.' })
  observersServing: number;
}

@ObjectType('ObserverMonth', { description: "One observer's (one roster entry's) reports in a month." })
export class ObserverMonth extends ObserverReportFigures {
  @Field(() => CitizenObserver, { description: "The observer's appointment the figures are attributed to." })
  observer: CitizenObserver;
}

@ObjectType({
  description:
    'A page of ObserverMonth items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class ObserverMonthConnection extends Connection(ObserverMonth, 'ObserverMonth') {}

@ObjectType('ObserverMonthlySummary', {
  description:
    "市民观察团月度汇总: a street's observer reports in a month (submitted in the Asia/Shanghai month by its teams' observers), " +
    'verified and turned into evidence, in total, per team and per observer.',
})
export class ObserverMonthlySummary extends ObserverReportFigures {
  @Field({ description: 'YYYY-MM (Asia/Shanghai).' })
  month: string;

  @Field(() => OrgUnitRef, { description: 'The street summarised.' })
  street: OrgUnitRef;

  @Field(() => Int, { description: "Observers of the street's teams whose term overlaps the month." })
  observersServing: number;

  @Field(() => [ObserverTeamMonth], { description: 'Every team of the street (at most 50), by name.' })
  teams: ObserverTeamMonth[];

  /** Not a field: the street's id, for `observers`. */
  streetId: string;
}

/** Figures of one group as the summary's SQL returns them. */
export interface FiguresRow {
  reports: number;
  verified: number;
  evidence: number;
}

export function figures<T extends ObserverReportFigures>(target: T, row: FiguresRow | undefined): T {
  const reports = row?.reports ?? 0;
  const verified = row?.verified ?? 0;
  return Object.assign(target, {
    reports,
    verified,
    evidence: row?.evidence ?? 0,
    verifiedShare: reports === 0 ? null : verified / reports,
  });
}
