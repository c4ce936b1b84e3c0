import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { GRADE_LABEL_ZH, Grade } from '../evaluation/evaluation-enums.js';

export enum GradeObjectionStatus {
  OPEN = 'OPEN',
  UPHELD = 'UPHELD',
  CORRECTED = 'CORRECTED',
}
registerEnumType(GradeObjectionStatus, {
  name: 'GradeObjectionStatus',
  description: "Where a resident's objection to a monthly grade is: OPEN, or decided (upheld or corrected).",
  valuesMap: {
    OPEN: { description: "待处理: the household's notices of the month wait for the decision" },
    UPHELD: { description: '维持原评定: the grade stands' },
    CORRECTED: { description: '已更正: inspections were set aside and the month regraded' },
  },
});

export const GRADE_OBJECTION_STATUS_LABEL_ZH: Record<GradeObjectionStatus, string> = {
  OPEN: '待处理',
  UPHELD: '维持原评定',
  CORRECTED: '已更正',
};

export enum GradeObjectionOutcome {
  UPHOLD = 'UPHOLD',
  CORRECT = 'CORRECT',
}
registerEnumType(GradeObjectionOutcome, {
  name: 'GradeObjectionOutcome',
  description: "The secretary's decision on an objection: keep the grade, or correct it.",
  valuesMap: {
    UPHOLD: { description: '维持: the grade stands' },
    CORRECT: { description: '更正: set aside the inspections found mistaken and regrade the month' },
  },
});

export interface GradeObjectionRow {
  id: string;
  householdId: string;
  month: string;
  statement: string;
  filedBy: string;
  filedAt: Date;
  gradeObjected: Grade;
  scoreObjected: string | null;
  status: GradeObjectionStatus;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  setAsideInspectionIds: string[];
  correctedGrade: Grade | null;
  correctedScore: string | null;
}

@ObjectType('GradeObjection', {
  description:
    "A resident's objection (异议) to their household's grade of a month, filed within the month's objection window; a community secretary upholds the grade or corrects it. While it is open, no notice about the household leaves.",
})
export class GradeObjection {
  @Field(() => ID, { description: 'Stable id of the objection.' })
  id: string;

  @Field(() => ID, { description: 'The household whose grade is objected to.' })
  householdId: string;

  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field({ description: "The resident's statement." })
  statement: string;

  @Field({ description: 'When the resident filed it (ISO 8601 timestamp).' })
  filedAt: Date;

  @Field(() => Grade, { description: 'The grade objected to.' })
  gradeObjected: Grade;

  @Field(() => Float, { nullable: true, description: 'The score objected to; null when the month had none.' })
  scoreObjected: number | null;

  @Field(() => GradeObjectionStatus, { description: 'Where the objection is.' })
  status: GradeObjectionStatus;

  @Field({ description: 'e.g. 待处理' })
  statusLabelZh: string;

  @Field(() => Date, { nullable: true, description: 'When the secretary decided it.' })
  decidedAt: Date | null;

  @Field(() => String, { nullable: true, description: "The secretary's reasons, as the resident reads them." })
  decisionNote: string | null;

  @Field(() => [ID], { description: 'Inspections the secretary found mistaken and set aside (CORRECTED).' })
  setAsideInspectionIds: string[];

  @Field(() => Grade, { nullable: true, description: 'The grade after the correction (CORRECTED); null when no evidence was left.' })
  correctedGrade: Grade | null;

  @Field(() => String, { nullable: true, description: 'The Chinese name of correctedGrade.' })
  correctedGradeLabelZh: string | null;

  @Field(() => Float, { nullable: true, description: 'The score after the correction (CORRECTED).' })
  correctedScore: number | null;

  static from(row: GradeObjectionRow): GradeObjection {
    return Object.assign(new GradeObjection(), {
      id: row.id,
      householdId: row.householdId,
      month: String(row.month).slice(0, 7),
      statement: row.statement,
      filedAt: row.filedAt,
      gradeObjected: row.gradeObjected,
      scoreObjected: row.scoreObjected === null ? null : Number(row.scoreObjected),
      status: row.status,
      statusLabelZh: GRADE_OBJECTION_STATUS_LABEL_ZH[row.status],
      decidedAt: row.decidedAt,
      decisionNote: row.decisionNote,
      setAsideInspectionIds: row.setAsideInspectionIds,
      correctedGrade: row.correctedGrade,
      correctedGradeLabelZh: row.correctedGrade ? GRADE_LABEL_ZH[row.correctedGrade] : null,
      correctedScore: row.correctedScore === null ? null : Number(row.correctedScore),
    });
  }
}

@ObjectType({
  description:
    'A page of GradeObjection items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class GradeObjectionConnection extends Connection(GradeObjection, 'GradeObjection') {}

@InputType({ description: "A resident's objection to their household's grade of a month." })
export class FileGradeObjectionInput {
  @Field(() => ID, { description: 'Your own household (the one your token names).' })
  householdId: string;

  @Field({ description: 'YYYY-MM: a month whose grades are published and whose objection window is open.' })
  month: string;

  @Field({ description: 'Why the grade is wrong, 1–2,000 characters.' })
  statement: string;
}

@InputType({ description: "The community secretary's decision on an objection." })
export class DecideGradeObjectionInput {
  @Field(() => GradeObjectionOutcome, {
    description: 'UPHOLD keeps the grade; CORRECT sets aside the mistaken inspections and grades the month again.',
  })
  outcome: GradeObjectionOutcome;

  @Field({ description: 'Your reasons, told to the resident; 1–2,000 characters.' })
  note: string;

  @Field(() => [ID], {
    defaultValue: [],
    description: "CORRECT: the household's inspections of the month found mistaken (at least one); they no longer count. UPHOLD: none.",
  })
  setAsideInspectionIds: string[];
}

@ArgsType()
export class GradeObjectionsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "A unit of your territory (staff); a resident sees their own household's." })
  orgUnitId?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM' })
  month?: string | null;

  @Field(() => GradeObjectionStatus, { nullable: true, description: 'Only objections in this status.' })
  status?: GradeObjectionStatus | null;
}

@ObjectType('ObjectionWindow', {
  description: "A district's objection window: days from a month's publication during which residents may object.",
})
export class ObjectionWindow {
  @Field(() => ID, { description: 'The district.' })
  districtId: string;

  @Field(() => Int, { description: "Days residents have to object after the district's month is published (0–30)." })
  days: number;

  @Field({ description: 'True when the district set none and the default (7 days) applies.' })
  isDefault: boolean;
}
