import { ArgsType, Directive, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import {
  INSPECTION_ISSUE_LABEL_ZH, INSPECTION_KIND_LABEL_ZH, INSPECTION_RESULT_LABEL_ZH, InspectionIssue, InspectionKind, InspectionResult,
} from './inspection-enums.js';
import type { InspectionEntity } from './inspection.entity.js';

/** A citizen report (enforcement's entity): households knows its id only; the gateway resolves the rest from enforcement. */
@ObjectType('CitizenReport')
@Directive('@key(fields: "id", resolvable: false)')
export class CitizenReportRef {
  @Field(() => ID)
  id: string;
}

@ObjectType('Inspection', { description: 'Evidence about one household: a bin-side check, bag check, door visit or patrol.' })
@Directive('@key(fields: "id")')
export class Inspection {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  householdId: string;

  @Field(() => InspectionKind)
  kind: InspectionKind;

  @Field({ description: 'e.g. 桶边督导' })
  labelZh: string;

  @Field(() => InspectionResult)
  result: InspectionResult;

  @Field()
  resultLabelZh: string;

  @Field(() => [InspectionIssue])
  issues: InspectionIssue[];

  @Field(() => [String])
  issuesLabelZh: string[];

  @Field()
  inspectorId: string;

  @Field()
  inspectedAt: Date;

  @Field({ description: 'The Shanghai month (YYYY-MM) the inspection counts for.' })
  month: string;

  @Field(() => [ID], { description: 'Photos (GET /uploads/{id}).' })
  photoIds: string[];

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field()
  createdAt: Date;

  @Field(() => ID, { nullable: true, description: 'The verified citizen report this inspection was recorded from (recordInspectionFromReport), if any.' })
  citizenReportId: string | null;

  @Field(() => CitizenReportRef, { nullable: true, description: 'That report, if you may see it (its handlers; null to everyone else).' })
  citizenReport: CitizenReportRef | null;

  @Field(() => Date, { nullable: true, description: "Set aside when deciding the household's objection: it no longer counts towards any grade." })
  setAsideAt: Date | null;

  static from(entity: InspectionEntity): Inspection {
    return Object.assign(new Inspection(), {
      ...entity,
      labelZh: INSPECTION_KIND_LABEL_ZH[entity.kind],
      resultLabelZh: INSPECTION_RESULT_LABEL_ZH[entity.result],
      issuesLabelZh: entity.issues.map((issue) => INSPECTION_ISSUE_LABEL_ZH[issue]),
      month: String(entity.month).slice(0, 7),
      citizenReportId: entity.citizenReportId ?? null,
      citizenReport: entity.citizenReportId ? Object.assign(new CitizenReportRef(), { id: entity.citizenReportId }) : null,
    });
  }
}

@ObjectType({ description: 'A page of Inspection items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.' })
export class InspectionConnection extends Connection(Inspection, 'Inspection') {}

@InputType()
export class RecordInspectionInput {
  @Field(() => ID)
  householdId: string;

  @Field(() => InspectionKind)
  kind: InspectionKind;

  @Field(() => InspectionResult)
  result: InspectionResult;

  @Field(() => [InspectionIssue], { defaultValue: [], description: 'Empty for PASS; at least one otherwise.' })
  issues: InspectionIssue[];

  @Field({ description: 'When it happened; not in the future, not more than a year ago.' })
  inspectedAt: Date;

  @Field(() => [ID], { defaultValue: [], description: 'Photos: your own uploads (POST /uploads), each evidence of one record only.' })
  photoIds: string[];

  @Field(() => String, { nullable: true, description: 'Up to 500 characters.' })
  note?: string | null;
}

@ArgsType()
export class InspectionsArgs extends PageArgs {
  @Field(() => ID)
  householdId: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM; all months when omitted.' })
  month?: string | null;
}
