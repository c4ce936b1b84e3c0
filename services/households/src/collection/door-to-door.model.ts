import { ArgsType, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { InstitutionRef, OrgUnitRef } from '#libs/references';
import { DOOR_TO_DOOR_STATUS_LABEL_ZH, DoorToDoorCollectionStatus, WasteStream } from './collection-enums.js';

/** A door_to_door_collection row as the service selects it. */
export interface DoorToDoorCollectionRow {
  id: string;
  householdId: string;
  compoundId: string;
  propertyCompanyId: string | null;
  wasteStreams: WasteStream[];
  preferredDate: string;
  preferredWindow: string | null;
  note: string | null;
  status: DoorToDoorCollectionStatus;
  requestedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

@ObjectType('DoorToDoorCollectionStatusChange', {
  description: 'One step of a request’s history: who moved it from which status to which, when, and why.',
})
export class DoorToDoorCollectionStatusChange {
  @Field(() => DoorToDoorCollectionStatus, { nullable: true, description: 'Null for the request itself.' })
  fromStatus: DoorToDoorCollectionStatus | null;

  @Field(() => DoorToDoorCollectionStatus, { description: 'The status after the change.' })
  toStatus: DoorToDoorCollectionStatus;

  @Field({ description: 'The user who made the change.' })
  changedBy: string;

  @Field({ description: 'When the change was made (ISO 8601 timestamp).' })
  changedAt: Date;

  @Field(() => String, { nullable: true, description: 'The note given with the change, if any.' })
  note: string | null;
}

/** A status change row with the request it belongs to. */
export interface StatusChangeRow extends DoorToDoorCollectionStatusChange {
  collectionId: string;
}

@ObjectType('DoorToDoorCollection', {
  description: 'A request for door-to-door collection (上门收运) by the household’s property company (物业), with its status history.',
})
export class DoorToDoorCollection {
  @Field(() => ID, { description: 'Stable id of the request.' })
  id: string;

  @Field({ description: '上门收运' })
  labelZh: string;

  /** Resolved as the `household` field, masked as households are elsewhere. */
  householdId: string;

  @Field(() => OrgUnitRef, { description: 'The compound (小区) of the household.' })
  compound: OrgUnitRef;

  @Field(() => InstitutionRef, {
    nullable: true,
    description:
      'The property company (物业公司) the request is addressed to; null when the household has none and the community handles it.',
  })
  propertyCompany: InstitutionRef | null;

  @Field(() => [WasteStream], { description: 'The waste streams to collect.' })
  wasteStreams: WasteStream[];

  @Field(() => LocalDateScalar, { description: 'The day the household would like the collection (Asia/Shanghai).' })
  preferredDate: string;

  @Field(() => String, { nullable: true, description: 'HH:MM-HH:MM on the preferred date, Asia/Shanghai; null for any time.' })
  preferredWindow: string | null;

  @Field(() => String, { nullable: true, description: 'The requester’s note.' })
  note: string | null;

  @Field(() => DoorToDoorCollectionStatus, { description: 'Where the request is: REQUESTED, ACCEPTED, COMPLETED or CANCELLED.' })
  status: DoorToDoorCollectionStatus;

  @Field({ description: 'The Chinese name of the status.' })
  statusLabelZh: string;

  @Field({ description: 'The user who made the request: the resident or a community worker.' })
  requestedBy: string;

  @Field({ description: 'When the request was made (ISO 8601 timestamp).' })
  requestedAt: Date;

  @Field({ description: 'When its status last changed (ISO 8601 timestamp).' })
  updatedAt: Date;

  static from(row: DoorToDoorCollectionRow): DoorToDoorCollection {
    return Object.assign(new DoorToDoorCollection(), {
      id: row.id,
      labelZh: '上门收运',
      householdId: row.householdId,
      compound: OrgUnitRef.of(row.compoundId),
      propertyCompany: row.propertyCompanyId ? InstitutionRef.of(row.propertyCompanyId) : null,
      wasteStreams: row.wasteStreams,
      preferredDate: row.preferredDate,
      preferredWindow: row.preferredWindow,
      note: row.note,
      status: row.status,
      statusLabelZh: DOOR_TO_DOOR_STATUS_LABEL_ZH[row.status],
      requestedBy: row.requestedBy,
      requestedAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  }
}

@ObjectType({
  description:
    'A page of DoorToDoorCollection items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class DoorToDoorCollectionConnection extends Connection(DoorToDoorCollection, 'DoorToDoorCollection') {}

@InputType({ description: 'A request for door-to-door collection (上门收运) for a household.' })
export class RequestDoorToDoorCollectionInput {
  @Field(() => ID, { description: 'A resident: their own household. Community staff: a household of their territory.' })
  householdId: string;

  @Field(() => [WasteStream], { description: 'At least one.' })
  wasteStreams: WasteStream[];

  @Field(() => LocalDateScalar, { description: 'Today (Asia/Shanghai) or later.' })
  preferredDate: string;

  @Field(() => String, { nullable: true, description: 'HH:MM-HH:MM, e.g. 09:00-11:00; omit for any time of the day.' })
  preferredWindow?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 500 characters, e.g. what is to be collected.' })
  note?: string | null;
}

@ArgsType()
export class DoorToDoorCollectionsArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'A unit of your territory: requests of households in it and below it (default: your whole territory).',
  })
  orgUnitId?: string | null;

  @Field(() => DoorToDoorCollectionStatus, { nullable: true, description: 'Only requests in this status.' })
  status?: DoorToDoorCollectionStatus | null;

  @Field(() => ID, { nullable: true, description: 'Only this household’s requests.' })
  householdId?: string | null;
}

@ArgsType()
export class MyDoorToDoorCollectionsArgs extends PageArgs {
  @Field(() => DoorToDoorCollectionStatus, { nullable: true, description: 'Only requests in this status.' })
  status?: DoorToDoorCollectionStatus | null;
}
