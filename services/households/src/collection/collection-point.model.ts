import { Directive, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '#libs/pagination';
import { OrgUnitRef } from '#libs/references';
import { COLLECTION_POINT_KIND_LABEL_ZH, CollectionPointKind, WasteStream } from './collection-enums.js';
import type { DailyWindow, OpeningWindow } from './opening-schedule.js';

/** A collection_point row as the service selects it. */
export interface CollectionPointRow {
  id: string;
  compoundId: string;
  name: string;
  kind: CollectionPointKind;
  location: string;
  wasteStreams: WasteStream[];
  schedule: OpeningWindow[];
  holidayNoonOpensAt: string | null;
  holidayNoonClosesAt: string | null;
  active: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

@ObjectType('TimeWindow', {
  description: 'A window of one day, Asia/Shanghai wall-clock times; open from opensAt up to, not including, closesAt.',
})
export class TimeWindowModel implements DailyWindow {
  @Field({ description: 'HH:MM' })
  opensAt: string;

  @Field({ description: 'HH:MM (24:00 for a window that runs to midnight).' })
  closesAt: string;
}

@ObjectType('OpeningWindow', { description: 'A weekly opening window (定时投放时段).' })
export class OpeningWindowModel extends TimeWindowModel implements OpeningWindow {
  @Field(() => [Int], { description: 'ISO weekdays: 1 = Monday … 7 = Sunday.' })
  weekdays: number[];
}

@InputType({ description: 'A daily window, HH:MM to HH:MM (Asia/Shanghai).' })
export class TimeWindowInput implements DailyWindow {
  @Field({ description: 'HH:MM, 00:00–23:59.' })
  opensAt: string;

  @Field({ description: 'HH:MM after opensAt; 24:00 for midnight.' })
  closesAt: string;
}

@InputType({ description: 'A weekly opening window: a daily window on the given weekdays.' })
export class OpeningWindowInput extends TimeWindowInput implements OpeningWindow {
  @Field(() => [Int], { description: 'ISO weekdays 1 (Monday) – 7 (Sunday); windows sharing a weekday must not overlap.' })
  weekdays: number[];
}

@ObjectType('CollectionPoint', {
  description: 'A waste collection point (投放点) of a compound: a regular point with opening windows, or a 24-hour late drop-off point.',
})
@Directive('@key(fields: "id")')
export class CollectionPoint {
  @Field(() => ID, { description: 'Stable id of the point.' })
  id: string;

  @Field({ description: 'The Chinese name of the point kind: 定时定点投放点 or 24小时误时投放点.' })
  labelZh: string;

  @Field(() => OrgUnitRef, { description: 'The compound (小区) the point serves.' })
  compound: OrgUnitRef;

  @Field({ description: 'Name of the point, unique within its compound.' })
  name: string;

  @Field(() => CollectionPointKind, { description: 'REGULAR (open at set windows) or LATE_DROP_OFF (open 24 hours).' })
  kind: CollectionPointKind;

  @Field({ description: 'Where the point is, e.g. 北门东侧垃圾分类亭.' })
  location: string;

  @Field(() => [WasteStream], { description: 'Waste streams accepted here.' })
  wasteStreams: WasteStream[];

  @Field(() => [OpeningWindowModel], { description: 'Weekly opening windows; empty for a 24-hour late drop-off point.' })
  schedule: OpeningWindow[];

  @Field(() => Boolean, { description: 'True for a 24-hour late drop-off point.' })
  openAroundTheClock: boolean;

  @Field(() => TimeWindowModel, { nullable: true, description: 'Extra noon opening on public holidays (节假日中午加开), if any.' })
  holidayNoonOpening: DailyWindow | null;

  @Field({ description: 'Inactive points are kept for their history but are never open.' })
  active: boolean;

  @Field({ description: 'When the point was created (ISO 8601 timestamp).' })
  createdAt: Date;

  @Field({ description: 'When the point last changed (ISO 8601 timestamp).' })
  updatedAt: Date;

  static from(row: CollectionPointRow): CollectionPoint {
    return Object.assign(new CollectionPoint(), {
      id: row.id,
      labelZh: COLLECTION_POINT_KIND_LABEL_ZH[row.kind],
      compound: OrgUnitRef.of(row.compoundId),
      name: row.name,
      kind: row.kind,
      location: row.location,
      wasteStreams: row.wasteStreams,
      schedule: row.schedule,
      openAroundTheClock: row.kind === CollectionPointKind.LATE_DROP_OFF,
      holidayNoonOpening:
        row.holidayNoonOpensAt && row.holidayNoonClosesAt ? { opensAt: row.holidayNoonOpensAt, closesAt: row.holidayNoonClosesAt } : null,
      active: row.active,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  }
}

@ObjectType({
  description:
    'A page of CollectionPoint items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class CollectionPointConnection extends Connection(CollectionPoint, 'CollectionPoint') {}
