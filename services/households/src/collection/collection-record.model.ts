import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { OrgUnitRef } from '#libs/references';
import {
  COLLECTION_DESTINATION_LABEL_ZH, COLLECTION_RECORD_SOURCE_LABEL_ZH, CollectionDestination, CollectionRecordSource,
  WASTE_STREAM_LABEL_ZH, WasteStream,
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
  description: 'The weight of one waste stream collected at a point (or a compound) on one day (Asia/Shanghai) and where it went (收运记录).',
})
export class CollectionRecord {
  @Field(() => ID)
  id: string;

  @Field(() => OrgUnitRef, { description: 'The compound (小区) collected from.' })
  compound: OrgUnitRef;

  @Field(() => ID, { nullable: true })
  collectionPointId: string | null;

  @Field(() => LocalDateScalar)
  day: string;

  @Field(() => WasteStream)
  stream: WasteStream;

  @Field({ description: '厨余垃圾, 可回收物, 有害垃圾 or 其他垃圾.' })
  streamLabelZh: string;

  @Field({ description: 'Kilograms, exact to the hundredth, as a decimal string (e.g. "123.45").' })
  weightKg: string;

  @Field(() => CollectionDestination)
  destination: CollectionDestination;

  @Field()
  destinationLabelZh: string;

  @Field(() => String, { nullable: true, description: 'Vehicle (plate) that collected.' })
  vehicle: string | null;

  @Field(() => String, { nullable: true, description: 'Operator or crew.' })
  operator: string | null;

  @Field(() => CollectionRecordSource)
  source: CollectionRecordSource;

  @Field()
  sourceLabelZh: string;

  @Field(() => ID, { nullable: true, description: 'The import that brought the record in (source IMPORT).' })
  importId: string | null;

  @Field()
  recordedBy: string;

  @Field()
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

@ObjectType({ description: 'A page of CollectionRecord items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.' })
export class CollectionRecordConnection extends Connection(CollectionRecord, 'CollectionRecord') {}

@ArgsType()
export class CollectionRecordsArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  collectionPointId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Records of this compound (its points and its compound-level records).' })
  compoundId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A unit of your territory (default: all of it).' })
  orgUnitId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'First day, inclusive.' })
  from?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day, inclusive.' })
  to?: string | null;

  @Field(() => WasteStream, { nullable: true })
  stream?: WasteStream | null;
}

@InputType()
export class RecordCollectionInput {
  @Field(() => ID, { nullable: true, description: 'A collection point of your territory; or give compoundId for a compound-level record.' })
  collectionPointId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A compound of your territory (only without collectionPointId).' })
  compoundId?: string | null;

  @Field(() => LocalDateScalar, { description: 'The Shanghai day of collection; not in the future.' })
  day: string;

  @Field(() => WasteStream)
  stream: WasteStream;

  @Field(() => Float, { description: 'Kilograms, 0 up to the ceiling per point and day (COLLECTION_MAX_KG_PER_POINT_DAY); rounded to the hundredth.' })
  weightKg: number;

  @Field(() => CollectionDestination)
  destination: CollectionDestination;

  @Field(() => String, { nullable: true })
  vehicle?: string | null;

  @Field(() => String, { nullable: true })
  operator?: string | null;
}

@ObjectType('CollectionImport', { description: 'One imported CSV file of a transfer station; its content hash makes it import once.' })
export class CollectionImport {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  fileName: string | null;

  @Field({ description: 'SHA-256 (hex) of the file content: the key that makes a file import once.' })
  sha256: string;

  @Field(() => Int)
  rowCount: number;

  @Field({ description: 'Sum of the imported weights in kg, as a decimal string.' })
  totalKg: string;

  @Field()
  importedBy: string;

  @Field()
  importedAt: Date;
}

@ObjectType({ description: 'A page of CollectionImport items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.' })
export class CollectionImportConnection extends Connection(CollectionImport, 'CollectionImport') {}

@ObjectType('CollectionImportResult')
export class CollectionImportResult {
  @Field(() => CollectionImport)
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

  @Field()
  code: string;

  @Field()
  message: string;
}
