import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { PageArgs } from '#libs/pagination';
import { CurrentCaller, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { CollectionPoint } from './collection-point.model.js';
import { CollectionPointService } from './collection-point.service.js';
import {
  CollectionImportConnection,
  CollectionImportResult,
  CollectionRecord,
  CollectionRecordConnection,
  CollectionRecordsArgs,
  RecordCollectionInput,
} from './collection-record.model.js';
import { CollectionRecordService } from './collection-record.service.js';

@Resolver(() => CollectionRecord)
export class CollectionRecordResolver {
  constructor(
    private readonly records: CollectionRecordService,
    private readonly points: CollectionPointService,
  ) {}

  @Query(() => CollectionRecordConnection, {
    description:
      'Collection records (收运记录) of your territory, oldest day first; filter by point, compound, unit, days (inclusive) and stream.',
  })
  collectionRecords(@CurrentCaller() caller: Caller, @Args() args: CollectionRecordsArgs): Promise<CollectionRecordConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    if (args.compoundId) args.compoundId = requireUuid(args.compoundId, 'compoundId');
    if (args.collectionPointId) args.collectionPointId = requireUuid(args.collectionPointId, 'collectionPointId');
    return this.records.list(caller, args);
  }

  @Query(() => CollectionImportConnection, {
    description: 'Imported CSV files, newest first: all of them for district-wide callers, your own imports otherwise.',
  })
  collectionImports(@CurrentCaller() caller: Caller, @Args() args: PageArgs): Promise<CollectionImportConnection> {
    return this.records.listImports(caller, args);
  }

  @Mutation(() => CollectionRecord, {
    description:
      'Records one weight collected at a point (or a compound) of your territory. One record per point, day, stream and ' +
      "destination (CONFLICT / ALREADY_RECORDED); FUTURE_DATE, NEGATIVE_WEIGHT, OVER_CEILING (the day's total per point).",
  })
  recordCollection(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'Where, when, which stream, how much and where it went.' }) input: RecordCollectionInput,
  ): Promise<CollectionRecord> {
    if (input.collectionPointId) input.collectionPointId = requireUuid(input.collectionPointId, 'collectionPointId');
    if (input.compoundId) input.compoundId = requireUuid(input.compoundId, 'compoundId');
    return this.records.record(caller, input);
  }

  @Mutation(() => CollectionImportResult, {
    description:
      "Imports a transfer station's CSV export (UTF-8; header exactly date,collection_point_id,stream,weight_kg,destination,vehicle,operator " +
      'or 日期,投放点编号,垃圾类别,重量(kg),去向,车辆,操作员). The whole file is checked first: any error refuses it with BAD_USER_INPUT / ' +
      'INVALID_IMPORT_FILE and extensions.details.errors [{ line, column, code, message }], and nothing is imported. The same content ' +
      'imports once: again, it returns the first import with alreadyImported: true.',
  })
  importCollectionRecords(
    @CurrentCaller() caller: Caller,
    @Args('csv', { description: "The file's content as text (UTF-8); every line is checked before anything is written." }) csv: string,
    @Args('fileName', { type: () => String, nullable: true, description: "The file's name, kept for the record." })
    fileName?: string | null,
  ): Promise<CollectionImportResult> {
    return this.records.importCsv(caller, csv, fileName?.slice(0, 255) ?? null);
  }

  @ResolveField(() => CollectionPoint, { nullable: true, description: 'The collection point (batched); null for a compound-level record.' })
  collectionPoint(@Parent() record: CollectionRecord, @Context() context: RequestContext): Promise<CollectionPoint | null> | null {
    if (!record.collectionPointId) return null;
    const loader = requestLoader<CollectionPoint>(context, 'CollectionPoint', (ids) => this.points.findVisible(context.caller, ids));
    return loader.load(record.collectionPointId);
  }
}
