import { registerEnumType } from '@nestjs/graphql';
import { GRADE_LABEL_ZH, type Grade } from '#libs/messaging';

/**
 * The vanguard index (锋领指数) formula: four parts over 100 points. The arithmetic lives in one SQL statement
 * (vanguard-sql.ts), reading a version's weights from `vanguard_formula`; this file names the parts and turns a
 * computed part's stored inputs into a sentence in Chinese. It does no scoring of its own.
 */
export enum VanguardPart {
  HOUSEHOLD_GRADE = 'HOUSEHOLD_GRADE',
  CHECK_INS = 'CHECK_INS',
  DUTIES = 'DUTIES',
  VOLUNTEER_HOURS = 'VOLUNTEER_HOURS',
}

export const VANGUARD_PART_LABEL_ZH: Record<VanguardPart, string> = {
  [VanguardPart.HOUSEHOLD_GRADE]: '家庭垃圾分类评定',
  [VanguardPart.CHECK_INS]: '晒图打卡（双方支部审核通过）',
  [VanguardPart.DUTIES]: '履职尽责',
  [VanguardPart.VOLUNTEER_HOURS]: '志愿服务时长',
};

registerEnumType(VanguardPart, {
  name: 'VanguardPart',
  description: 'The parts the vanguard index is made of (锋领指数的组成部分).',
  valuesMap: Object.fromEntries(Object.entries(VANGUARD_PART_LABEL_ZH).map(([part, zh]) => [part, { description: zh }])),
});

/** A formula version's parameters (vanguard_formula.weights). Every maximum is in points of 100. */
export interface VanguardWeights {
  householdGrade: { maximum: number; points: Record<Grade, number> };
  checkIns: { maximum: number };
  duties: { maximum: number };
  volunteerHours: { maximum: number; fullAtHours: number };
}

/** What the SQL stores for each part of a member's month (vanguard_index_month.parts). */
export interface StoredPart {
  part: VanguardPart;
  points: number;
  maximum: number;
  applicable: boolean;
  inputs: {
    /** HOUSEHOLD_GRADE: GRADED, NO_EVIDENCE (graded month without inspections), or NO_RECORD (no grade received). */
    gradeStatus?: 'GRADED' | 'NO_EVIDENCE' | 'NO_RECORD';
    grade?: Grade | null;
    /** CHECK_INS: the month's ISO weeks (Monday in the month) and those with the quota met by approved check-ins. */
    weeks?: number;
    weeksQuotaMet?: number;
    /** DUTIES */
    due?: number;
    met?: number;
    /** VOLUNTEER_HOURS */
    hours?: number;
    fullAtHours?: number;
  };
}

const n = (value: number) => String(Number(value.toFixed(2)));

/** The sentence shown beside a part: what went in and what it gave. */
export function explainPart(part: StoredPart): string {
  const gives = `得${n(part.points)}分（满分${n(part.maximum)}分）。`;
  const i = part.inputs;
  switch (part.part) {
    case VanguardPart.HOUSEHOLD_GRADE:
      if (i.gradeStatus === 'GRADED' && i.grade) return `家庭本月垃圾分类评定为“${GRADE_LABEL_ZH[i.grade]}”，${gives}`;
      if (i.gradeStatus === 'NO_EVIDENCE') return `家庭本月无检查记录，未能评定（无评定依据），${gives}`;
      return `本月尚未收到家庭的垃圾分类评定结果，${gives}`;
    case VanguardPart.CHECK_INS:
      return `本月共${i.weeks}周，其中${i.weeksQuotaMet}周晒图打卡经单位支部和社区支部双方审核通过并达到每周要求次数，${gives}`;
    case VanguardPart.DUTIES:
      if (!part.applicable) return `本月无履职任务，本项不计分，总分按其余各项折算为百分制。`;
      return `本月应履职${i.due}次，已履职${i.met}次，${gives}`;
    case VanguardPart.VOLUNTEER_HOURS:
      return `本月志愿服务${n(i.hours ?? 0)}小时（满${n(i.fullAtHours ?? 0)}小时得满分），${gives}`;
  }
}
