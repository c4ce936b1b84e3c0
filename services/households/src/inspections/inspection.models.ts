import { ArgsType, Directive, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import {
  INSPECTION_ISSUE_LABEL_ZH,
  INSPECTION_KIND_LABEL_ZH,
  INSPECTION_RESULT_LABEL_ZH,
  InspectionIssue,
  InspectionKind,
  InspectionResult,
} from './inspection-enums.js';
import type { InspectionRow } from './inspection.entity.js';

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
  @Field(() => ID, { description: 'Stable id of the inspection.' })
  id: string;

  @Field(() => ID, { description: 'The household inspected.' })
  householdId: string;

  @Field(() => InspectionKind, { description: 'How the inspection was made.' })
  kind: InspectionKind;

  @Field({ description: 'e.g. 桶边督导' })
  labelZh: string;

  @Field(() => InspectionResult, { description: 'What it found.' })
  result: InspectionResult;

  @Field({ description: 'The Chinese name of result.' })
  resultLabelZh: string;

  @Field(() => [InspectionIssue], { description: 'The problems noted; empty for PASS.' })
  issues: InspectionIssue[];

  @Field(() => [String], { description: 'The Chinese names of issues, in the same order.' })
  issuesLabelZh: string[];

  @Field({ description: 'User id of the inspector.' })
  inspectorId: string;

  @Field({ description: 'When the inspection happened (ISO 8601 timestamp).' })
  inspectedAt: Date;

  @Field({ description: 'The Shanghai month (YYYY-MM) the inspection counts for.' })
  month: string;

  @Field(() => [ID], { description: 'Photos (GET /uploads/{id}).' })
  photoIds: string[];

  @Field(() => String, { nullable: true, description: "The inspector's note, up to 500 characters." })
  note: string | null;

  @Field({ description: 'When it was recorded (ISO 8601 timestamp).' })
  createdAt: Date;

  @Field(() => ID, {
    nullable: true,
    description: 'The verified citizen report this inspection was recorded from (recordInspectionFromReport), if any.',
  })
  citizenReportId: string | null;

  @Field(() => CitizenReportRef, { nullable: true, description: 'That report, if you may see it (its handlers; null to everyone else).' })
  citizenReport: CitizenReportRef | null;

  @Field(() => Date, {
    nullable: true,
    description: "Set aside when deciding the household's objection: it no longer counts towards any grade.",
  })
  setAsideAt: Date | null;

  static from(entity: InspectionRow): Inspection {
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

@ObjectType({
  description:
    'A page of Inspection items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class InspectionConnection extends Connection(Inspection, 'Inspection') {}

@InputType({ description: "An inspection of one household's sorting, as recorded from a phone." })
export class RecordInspectionInput {
  @Field(() => ID, { description: 'A household of your territory.' })
  householdId: string;

  @Field(() => InspectionKind, { description: 'How the inspection was made.' })
  kind: InspectionKind;

  @Field(() => InspectionResult, { description: 'What it found.' })
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
  @Field(() => ID, { description: 'The household whose inspections to list.' })
  householdId: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM; all months when omitted.' })
  month?: string | null;
}
