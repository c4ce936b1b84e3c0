import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GRADE_LABEL_ZH } from '#libs/messaging';
import { Connection } from '#libs/pagination';
import { VANGUARD_PART_LABEL_ZH, VanguardPart, explainPart, type StoredPart, type VanguardWeights } from './vanguard-formula.js';

export enum VanguardUnitType {
  PARTY_ORG = 'PARTY_ORG',
  WORK_UNIT = 'WORK_UNIT',
}

export const VANGUARD_UNIT_TYPE_LABEL_ZH: Record<VanguardUnitType, string> = {
  [VanguardUnitType.PARTY_ORG]: '党组织',
  [VanguardUnitType.WORK_UNIT]: '工作单位',
};

registerEnumType(VanguardUnitType, {
  name: 'VanguardUnitType',
  description: 'Whether an annual assessment is of a party organisation or of a work unit (institution).',
  valuesMap: Object.fromEntries(Object.entries(VANGUARD_UNIT_TYPE_LABEL_ZH).map(([value, zh]) => [value, { description: zh }])),
});

/** Chinese names of the kinds of party organisations and institutions a unit assessment is about. */
export const UNIT_KIND_LABEL_ZH: Record<string, string> = {
  DISTRICT_COMMITTEE: '区委',
  STREET_COMMITTEE: '镇街党委',
  DEPARTMENT_COMMITTEE: '机关职能部门党委',
  COMMUNITY_COMMITTEE: '社区党委',
  COMMUNITY_BRANCH: '社区支部',
  COMPOUND_BRANCH: '小区支部',
  WORK_UNIT_BRANCH: '单位支部',
  EMPLOYER: '单位',
  SCHOOL: '学校',
  DEPARTMENT: '职能部门',
  PROPERTY_COMPANY: '物业公司',
  MEDIA: '媒体',
};

@ObjectType('VanguardIndexPart', { description: '锋领指数的一个组成部分: its points, maximum, inputs and a sentence in Chinese.' })
export class VanguardIndexPart {
  @Field(() => VanguardPart, { description: 'Which part of the index.' })
  part: VanguardPart;

  @Field({ description: "The part's Chinese name." })
  labelZh: string;

  @Field(() => Float, { description: 'Points given (0 when not applicable).' })
  points: number;

  @Field(() => Float, { description: 'Points the part gives at most under the formula.' })
  maximum: number;

  @Field({ description: 'False when the part does not apply to the member this month (then the score is scaled to the others).' })
  applicable: boolean;

  @Field({ description: 'What went in and what it gave, in Chinese.' })
  explanationZh: string;

  @Field(() => String, { nullable: true, description: 'HOUSEHOLD_GRADE: GRADED, NO_EVIDENCE or NO_RECORD.' })
  gradeStatus: string | null;

  @Field(() => String, { nullable: true, description: 'HOUSEHOLD_GRADE: QUALIFIED, BASICALLY_QUALIFIED or UNQUALIFIED.' })
  grade: string | null;

  @Field(() => String, { nullable: true, description: '合格, 基本合格, 不合格' })
  gradeLabelZh: string | null;

  @Field(() => Int, { nullable: true, description: "CHECK_INS: the month's ISO weeks (weeks whose Monday is in the month)." })
  weeks: number | null;

  @Field(() => Int, { nullable: true, description: 'CHECK_INS: weeks with the quota met by check-ins approved by both branches.' })
  weeksQuotaMet: number | null;

  @Field(() => Int, { nullable: true, description: 'DUTIES: duties due in the month.' })
  due: number | null;

  @Field(() => Int, { nullable: true, description: 'DUTIES: duties met.' })
  met: number | null;

  @Field(() => Float, { nullable: true, description: 'VOLUNTEER_HOURS: approved volunteer hours of the month.' })
  hours: number | null;

  @Field(() => Float, { nullable: true, description: 'VOLUNTEER_HOURS: hours that give the full points.' })
  fullAtHours: number | null;

  static from(stored: StoredPart): VanguardIndexPart {
    const i = stored.inputs;
    const num = (value: unknown) => (value === undefined || value === null ? null : Number(value));
    return Object.assign(new VanguardIndexPart(), {
      part: stored.part,
      labelZh: VANGUARD_PART_LABEL_ZH[stored.part],
      points: Number(stored.points),
      maximum: Number(stored.maximum),
      applicable: stored.applicable,
      explanationZh: explainPart(stored),
      gradeStatus: i.gradeStatus ?? null,
      grade: i.grade ?? null,
      gradeLabelZh: i.grade ? GRADE_LABEL_ZH[i.grade] : null,
      weeks: num(i.weeks),
      weeksQuotaMet: num(i.weeksQuotaMet),
      due: stored.part === VanguardPart.DUTIES ? num(i.due) : null,
      met: stored.part === VanguardPart.DUTIES ? num(i.met) : null,
      hours: num(i.hours),
      fullAtHours: num(i.fullAtHours),
    });
  }
}

export interface VanguardIndexRow {
  memberId: string;
  memberName: string;
  month: string;
  formulaVersion: number;
  score: string;
  parts: StoredPart[];
  computedAt: Date;
}

@ObjectType('VanguardIndex', { description: "锋领指数: a party member's vanguard index of a month, with its parts." })
export class VanguardIndex {
  @Field({ description: '锋领指数' })
  labelZh: string;

  @Field(() => ID, { description: 'The party member.' })
  memberId: string;

  @Field({ description: "The member's name, masked unless you may read personal data." })
  memberName: string;

  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => Int, { description: 'The formula version in force for the month.' })
  formulaVersion: number;

  @Field(() => Float, { description: '0–100, one decimal: 100 × points of the applicable parts / their maxima.' })
  score: number;

  @Field(() => [VanguardIndexPart], { description: 'The four parts with their points.' })
  parts: VanguardIndexPart[];

  @Field({ description: 'When the index was computed (ISO 8601 timestamp).' })
  computedAt: Date;

  static from(row: VanguardIndexRow): VanguardIndex {
    return Object.assign(new VanguardIndex(), {
      labelZh: '锋领指数',
      memberId: row.memberId,
      memberName: row.memberName,
      month: row.month,
      formulaVersion: row.formulaVersion,
      score: Number(row.score),
      parts: row.parts.map((part) => VanguardIndexPart.from(part)),
      computedAt: row.computedAt,
    });
  }
}

@ObjectType('VanguardIndexConnection', {
  description:
    'A page of VanguardIndex items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class VanguardIndexConnection extends Connection(VanguardIndex, 'VanguardIndex') {}

export interface VanguardIndexYearRow {
  memberId: string;
  memberName: string;
  year: number;
  score: string;
  months: number;
}

@ObjectType('VanguardIndexYear', { description: "年度锋领指数: the average of a member's monthly scores in a year." })
export class VanguardIndexYear {
  @Field({ description: '年度锋领指数' })
  labelZh: string;

  @Field(() => ID, { description: 'The party member.' })
  memberId: string;

  @Field({ description: "The member's name, masked unless you may read personal data." })
  memberName: string;

  @Field(() => Int, { description: 'The year.' })
  year: number;

  @Field(() => Float, { description: 'Average of the monthly scores, one decimal.' })
  score: number;

  @Field(() => Int, { description: 'Months with a score in the year.' })
  months: number;

  static from(row: VanguardIndexYearRow): VanguardIndexYear {
    return Object.assign(new VanguardIndexYear(), {
      labelZh: '年度锋领指数',
      memberId: row.memberId,
      memberName: row.memberName,
      year: Number(row.year),
      score: Number(row.score),
      months: row.months,
    });
  }
}

@ObjectType('VanguardIndexYearConnection', {
  description:
    'A page of VanguardIndexYear items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class VanguardIndexYearConnection extends Connection(VanguardIndexYear, 'VanguardIndexYear') {}

export interface UnitAssessmentRow {
  unitType: VanguardUnitType;
  unitId: string;
  unitKind: string;
  name: string;
  year: number;
  membersCounted: number;
  averageIndex: string | null;
  shareAtLeast80: string | null;
}

@ObjectType('UnitAnnualAssessment', {
  description: "单位年度考核: a party organisation (over its subtree) or a work unit, rolled up from its members' yearly vanguard index.",
})
export class UnitAnnualAssessment {
  @Field({ description: '单位年度考核' })
  labelZh: string;

  @Field(() => VanguardUnitType, { description: 'Party organisation or institution.' })
  unitType: VanguardUnitType;

  @Field({ description: 'The Chinese name of unitType.' })
  unitTypeLabelZh: string;

  @Field(() => ID, { description: 'The party organisation or institution.' })
  unitId: string;

  @Field({ description: 'Kind of party organisation (e.g. WORK_UNIT_BRANCH) or of institution (e.g. EMPLOYER).' })
  unitKind: string;

  @Field({ description: 'The Chinese name of unitKind.' })
  unitKindLabelZh: string;

  @Field({ description: 'Name of the party organisation or institution.' })
  name: string;

  @Field(() => Int, { description: 'The year assessed.' })
  year: number;

  @Field(() => Int, { description: 'Members behind the unit with a yearly index (those you may see).' })
  membersCounted: number;

  @Field(() => Float, { nullable: true, description: "Average of the members' yearly index, one decimal; null without members." })
  averageIndex: number | null;

  @Field(() => Float, { nullable: true, description: 'Share (0–1) of the members with a yearly index of 80 or more.' })
  shareAtLeast80: number | null;

  static from(row: UnitAssessmentRow): UnitAnnualAssessment {
    return Object.assign(new UnitAnnualAssessment(), {
      labelZh: '单位年度考核',
      unitType: row.unitType,
      unitTypeLabelZh: VANGUARD_UNIT_TYPE_LABEL_ZH[row.unitType],
      unitId: row.unitId,
      unitKind: row.unitKind,
      unitKindLabelZh: UNIT_KIND_LABEL_ZH[row.unitKind] ?? row.unitKind,
      name: row.name,
      year: Number(row.year),
      membersCounted: row.membersCounted,
      averageIndex: row.averageIndex === null ? null : Number(row.averageIndex),
      shareAtLeast80: row.shareAtLeast80 === null ? null : Number(row.shareAtLeast80),
    });
  }
}

@ObjectType('UnitAnnualAssessmentConnection', {
  description:
    'A page of UnitAnnualAssessment items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class UnitAnnualAssessmentConnection extends Connection(UnitAnnualAssessment, 'UnitAnnualAssessment') {}

@ObjectType('VanguardFormulaPart', { description: 'A part of a formula version and its maximum points.' })
export class VanguardFormulaPart {
  @Field(() => VanguardPart, { description: 'Which part of the index.' })
  part: VanguardPart;

  @Field({ description: "The part's Chinese name." })
  labelZh: string;

  @Field(() => Float, { description: 'Points the part gives at most.' })
  maximum: number;
}

export interface VanguardFormulaRow {
  version: number;
  effectiveFrom: string;
  weights: VanguardWeights;
  description: string;
  createdBy: string;
  createdAt: Date;
}

@ObjectType('VanguardFormula', { description: "锋领指数计算公式: one version, in force from its month until the next version's." })
export class VanguardFormula {
  @Field({ description: '锋领指数计算公式' })
  labelZh: string;

  @Field(() => Int, { description: 'Version number, growing by one with every new formula.' })
  version: number;

  @Field({ description: 'YYYY-MM: the first month it applies to.' })
  effectiveFrom: string;

  @Field({ description: 'What changed and why, as its author recorded.' })
  description: string;

  @Field(() => [VanguardFormulaPart], { description: 'The four parts with their maxima.' })
  parts: VanguardFormulaPart[];

  @Field(() => Float, { description: 'Household grade points for 合格.' })
  qualifiedPoints: number;

  @Field(() => Float, { description: 'Household grade points for 基本合格.' })
  basicallyQualifiedPoints: number;

  @Field(() => Float, { description: 'Household grade points for 不合格.' })
  unqualifiedPoints: number;

  @Field(() => Float, { description: 'Volunteer hours in a month that give the full points.' })
  volunteerFullAtHours: number;

  @Field({ description: 'User id of whoever published it.' })
  createdBy: string;

  @Field({ description: 'When it was published (ISO 8601 timestamp).' })
  createdAt: Date;

  static from(row: VanguardFormulaRow): VanguardFormula {
    const w = row.weights;
    const part = (p: VanguardPart, maximum: number) =>
      Object.assign(new VanguardFormulaPart(), { part: p, labelZh: VANGUARD_PART_LABEL_ZH[p], maximum });
    return Object.assign(new VanguardFormula(), {
      labelZh: '锋领指数计算公式',
      version: row.version,
      effectiveFrom: row.effectiveFrom,
      description: row.description,
      parts: [
        part(VanguardPart.HOUSEHOLD_GRADE, w.householdGrade.maximum),
        part(VanguardPart.CHECK_INS, w.checkIns.maximum),
        part(VanguardPart.DUTIES, w.duties.maximum),
        part(VanguardPart.VOLUNTEER_HOURS, w.volunteerHours.maximum),
      ],
      qualifiedPoints: w.householdGrade.points.QUALIFIED,
      basicallyQualifiedPoints: w.householdGrade.points.BASICALLY_QUALIFIED,
      unqualifiedPoints: w.householdGrade.points.UNQUALIFIED,
      volunteerFullAtHours: w.volunteerHours.fullAtHours,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
    });
  }
}

@ObjectType('VanguardComputation', { description: 'What computeVanguardIndex did.' })
export class VanguardComputation {
  @Field({ description: 'YYYY-MM.' })
  month: string;

  @Field(() => Int, { description: 'The formula version used.' })
  formulaVersion: number;

  @Field(() => Int, { description: 'Party members computed.' })
  members: number;

  @Field(() => Int, { description: 'Scores written because they were new or changed.' })
  changed: number;
}
