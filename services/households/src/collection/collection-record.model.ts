import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { OrgUnitRef } from '#libs/references';
import {
  COLLECTION_DESTINATION_LABEL_ZH,
  COLLECTION_RECORD_SOURCE_LABEL_ZH,
  CollectionDestination,
  CollectionRecordSource,
  WASTE_STREAM_LABEL_ZH,
  WasteStream,
} from './collection-enums.js';

/** A collection_record row as the service selects it. */
export interface CollectionRecordRow {
  id: string;
  compoundId: string;
  collectionPointId: string | null;
  day: string;
  stream: WasteStream;
  weightKg: string;
  destination: CollectionDestination;
  vehicle: string | null;
  operator: string | null;
  source: CollectionRecordSource;
  importId: string | null;
  recordedBy: string;
  recordedAt: Date;
}

@ObjectType('CollectionRecord', {
  description:
    'The weight of one waste stream collected at a point (or a compound) on one day (Asia/Shanghai) and where it went (收运记录).',
})
export class CollectionRecord {
  @Field(() => ID, { description: 'Stable id of the record.' })
  id: string;

  @Field(() => OrgUnitRef, { description: 'The compound (小区) collected from.' })
  compound: OrgUnitRef;

  @Field(() => ID, { nullable: true, description: 'The collection point collected from; null for a compound-level record.' })
  collectionPointId: string | null;

  @Field(() => LocalDateScalar, { description: 'The day of collection (Asia/Shanghai).' })
  day: string;

  @Field(() => WasteStream, { description: 'The waste stream collected.' })
  stream: WasteStream;

  @Field({ description: '厨余垃圾, 可回收物, 有害垃圾 or 其他垃圾.' })
  streamLabelZh: string;

  @Field({ description: 'Kilograms, exact to the hundredth, as a decimal string (e.g. "123.45").' })
  weightKg: string;

  @Field(() => CollectionDestination, { description: 'Where the waste went (transfer station, recycler, …).' })
  destination: CollectionDestination;

  @Field({ description: 'The Chinese name of destination.' })
  destinationLabelZh: string;

  @Field(() => String, { nullable: true, description: 'Vehicle (plate) that collected.' })
  vehicle: string | null;

  @Field(() => String, { nullable: true, description: 'Operator or crew.' })
  operator: string | null;

  @Field(() => CollectionRecordSource, {
    description: "How the record came in: entered by hand or imported from a transfer station's file.",
  })
  source: CollectionRecordSource;

  @Field({ description: 'The Chinese name of source.' })
  sourceLabelZh: string;

  @Field(() => ID, { nullable: true, description: 'The import that brought the record in (source IMPORT).' })
  importId: string | null;

  @Field({ description: 'User id of whoever entered or imported the record.' })
  recordedBy: string;

  @Field({ description: 'When the record was written (ISO 8601 timestamp).' })
  recordedAt: Date;

  static from(row: CollectionRecordRow): CollectionRecord {
    return Object.assign(new CollectionRecord(), {
      id: row.id,
      compound: OrgUnitRef.of(row.compoundId),
      collectionPointId: row.collectionPointId,
      day: row.day,
      stream: row.stream,
      streamLabelZh: WASTE_STREAM_LABEL_ZH[row.stream],
      weightKg: row.weightKg,
      destination: row.destination,
      destinationLabelZh: COLLECTION_DESTINATION_LABEL_ZH[row.destination],
      vehicle: row.vehicle,
      operator: row.operator,
      source: row.source,
      sourceLabelZh: COLLECTION_RECORD_SOURCE_LABEL_ZH[row.source],
      importId: row.importId,
      recordedBy: row.recordedBy,
      recordedAt: row.recordedAt,
    });
  }
}

@ObjectType({
  description:
    'A page of CollectionRecord items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class CollectionRecordConnection extends Connection(CollectionRecord, 'CollectionRecord') {}

@ArgsType()
export class CollectionRecordsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only records of this collection point.' })
  collectionPointId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Records of this compound (its points and its compound-level records).' })
  compoundId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A unit of your territory (default: all of it).' })
  orgUnitId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'First day, inclusive.' })
  from?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day, inclusive.' })
  to?: string | null;

  @Field(() => WasteStream, { nullable: true, description: 'Only records of this waste stream.' })
  stream?: WasteStream | null;
}

@InputType({ description: 'One weight collected at a point (or a compound) on one day, for one stream.' })
export class RecordCollectionInput {
  @Field(() => ID, { nullable: true, description: 'A collection point of your territory; or give compoundId for a compound-level record.' })
  collectionPointId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A compound of your territory (only without collectionPointId).' })
  compoundId?: string | null;

  @Field(() => LocalDateScalar, { description: 'The Shanghai day of collection; not in the future.' })
  day: string;

  @Field(() => WasteStream, { description: 'The waste stream collected.' })
  stream: WasteStream;

  @Field(() => Float, {
    description: 'Kilograms, 0 up to the ceiling per point and day (COLLECTION_MAX_KG_PER_POINT_DAY); rounded to the hundredth.',
  })
  weightKg: number;

  @Field(() => CollectionDestination, { description: 'Where the waste went.' })
  destination: CollectionDestination;

  @Field(() => String, { nullable: true, description: 'Vehicle (plate) that collected, up to 40 characters.' })
  vehicle?: string | null;

  @Field(() => String, { nullable: true, description: 'Operator or crew, up to 60 characters.' })
  operator?: string | null;
}

@ObjectType('CollectionImport', { description: 'One imported CSV file of a transfer station; its content hash makes it import once.' })
export class CollectionImport {
  @Field(() => ID, { description: 'Stable id of the import.' })
  id: string;

  @Field(() => String, { nullable: true, description: "The file's name as uploaded, if given." })
  fileName: string | null;

  @Field({ description: 'SHA-256 (hex) of the file content: the key that makes a file import once.' })
  sha256: string;

  @Field(() => Int, { description: 'Records the file brought in.' })
  rowCount: number;

  @Field({ description: 'Sum of the imported weights in kg, as a decimal string.' })
  totalKg: string;

  @Field({ description: 'User id of whoever imported it.' })
  importedBy: string;

  @Field({ description: 'When it was imported (ISO 8601 timestamp).' })
  importedAt: Date;
}

@ObjectType({
  description:
    'A page of CollectionImport items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class CollectionImportConnection extends Connection(CollectionImport, 'CollectionImport') {}

@ObjectType('CollectionImportResult', {
  description: 'The outcome of a CSV import: the import, and whether the same content had been imported before.',
})
export class CollectionImportResult {
  @Field(() => CollectionImport, { description: 'The import (the earlier one when alreadyImported).' })
  import: CollectionImport;

  @Field({ description: 'True when this content was imported before: nothing was written, the first import is returned.' })
  alreadyImported: boolean;
}

@ObjectType('CollectionImportError', { description: 'One problem of an import file; the whole file is refused when there is any.' })
export class CollectionImportError {
  @Field(() => Int, { description: 'Physical line of the file (1 = the header).' })
  line: number;

  @Field(() => String, { nullable: true, description: 'The column concerned, by its header name.' })
  column: string | null;

  @Field({
    description:
      'Stable code of the problem in that line (e.g. INVALID_DATE, UNKNOWN_COLLECTION_POINT, OVER_CEILING; HEADER or ENCODING for the whole file).',
  })
  code: string;

  @Field({ description: 'What is wrong, in English, for the person fixing the file.' })
  message: string;
}
