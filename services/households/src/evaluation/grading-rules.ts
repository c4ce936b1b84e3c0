import { z } from 'zod';
import { shanghaiWallClock } from '#libs/calendar';
import { DomainError } from '#libs/errors';
import {
  INSPECTION_ISSUE_LABEL_ZH,
  INSPECTION_KIND_LABEL_ZH,
  INSPECTION_RESULT_LABEL_ZH,
  InspectionIssue,
  InspectionKind,
  InspectionResult,
} from '../inspections/inspection-enums.js';
import { GRADE_LABEL_ZH, Grade } from './evaluation-enums.js';

/**
 * The grading rules, as data (a row of `grading_rule_set`, versioned per district). A month of a household's
 * inspections becomes a grade like this:
 *
 * 1. No inspection in the month → status NO_EVIDENCE, no grade.
 * 2. score = scoreStart − Σ over inspections (resultPenalty[result] + Σ issuePenalty[issue]), never below 0.
 * 3. At least `unqualifiedAtFails` FAIL inspections → UNQUALIFIED, whatever the score.
 * 4. Otherwise score ≥ thresholds.QUALIFIED → QUALIFIED, ≥ thresholds.BASICALLY_QUALIFIED → BASICALLY_QUALIFIED,
 *    else UNQUALIFIED (thresholds are inclusive).
 * 5. A household with any of `capIssues` in the month is at best BASICALLY_QUALIFIED.
 *
 * Every grade keeps its reasons: each inspection that cost points, and each of rules 3–5 that applied.
 */
export const gradingRulesSchema = z
  .object({
    scoreStart: z.number().positive().max(1000),
    resultPenalty: z.object({ PASS: z.number().min(0), MINOR_ISSUE: z.number().min(0), FAIL: z.number().min(0) }),
    // Issues left out cost nothing beyond their result's penalty.
    issuePenalty: z.partialRecord(z.enum(InspectionIssue), z.number().min(0)),
    thresholds: z.object({ QUALIFIED: z.number().min(0), BASICALLY_QUALIFIED: z.number().min(0) }),
    unqualifiedAtFails: z.number().int().min(1),
    capIssues: z.array(z.enum(InspectionIssue)),
  })
  .refine(
    (rules) => rules.thresholds.QUALIFIED > rules.thresholds.BASICALLY_QUALIFIED,
    'thresholds.QUALIFIED must be above thresholds.BASICALLY_QUALIFIED',
  )
  .refine((rules) => rules.thresholds.QUALIFIED <= rules.scoreStart, 'thresholds.QUALIFIED must be reachable from scoreStart');

export type GradingRules = z.infer<typeof gradingRulesSchema>;

/** Validates rules from an administrator; BAD_USER_INPUT with every problem otherwise. */
export function parseGradingRules(value: unknown): GradingRules {
  const result = gradingRulesSchema.safeParse(value);
  if (!result.success) {
    throw DomainError.badInput('The grading rules are not valid', 'INVALID_RULES', {
      problems: result.error.issues.map((issue) => `${issue.path.join('.') || 'rules'}: ${issue.message}`),
    });
  }
  return result.data;
}

/** One entry of a grade's `reasons`, as the grading SQL writes it. */
export interface ReasonRecord {
  rule: 'INSPECTION_PENALTY' | 'FAIL_COUNT' | 'ISSUE_CAP' | 'SCORE' | 'NO_EVIDENCE';
  inspectionId?: string;
  points?: number;
  fails?: number;
  limit?: number;
  score?: number;
  qualifiedFrom?: number;
  basicallyQualifiedFrom?: number;
  inspections?: number;
}

/** What a reason needs to know of the inspection behind it. */
export interface ReasonInspection {
  kind: InspectionKind;
  result: InspectionResult;
  issues: InspectionIssue[];
  inspectedAt: Date;
}

/** A reason in words, as a household reads it (and a notice quotes it). */
export function describeReason(reason: ReasonRecord, grade: Grade | null, inspection?: ReasonInspection): string {
  switch (reason.rule) {
    case 'INSPECTION_PENALTY': {
      if (!inspection) return `一次检查扣${-reason.points!}分`;
      const issues = inspection.issues.map((issue) => INSPECTION_ISSUE_LABEL_ZH[issue]).join('、');
      return `${shanghaiDay(inspection.inspectedAt)}${INSPECTION_KIND_LABEL_ZH[inspection.kind]}：${INSPECTION_RESULT_LABEL_ZH[inspection.result]}${issues ? `（${issues}）` : ''}，扣${-reason.points!}分`;
    }
    case 'FAIL_COUNT':
      return `本月${reason.fails}次检查不合格（达到${reason.limit}次即评为不合格）`;
    case 'ISSUE_CAP':
      return '本月有有害垃圾错投等严重问题，不能评为合格';
    case 'SCORE':
      return `本月${reason.inspections}次检查，得分${formatScore(reason.score!)}（${reason.qualifiedFrom}分以上合格，${reason.basicallyQualifiedFrom}分以上基本合格），评价结果：${grade ? GRADE_LABEL_ZH[grade] : ''}`;
    case 'NO_EVIDENCE':
      return '本月没有检查记录，不作评价';
  }
}

function shanghaiDay(at: Date): string {
  const local = shanghaiWallClock(at);
  return `${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
}

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}
