import { registerEnumType } from '@nestjs/graphql';

export enum Grade {
  QUALIFIED = 'QUALIFIED',
  BASICALLY_QUALIFIED = 'BASICALLY_QUALIFIED',
  UNQUALIFIED = 'UNQUALIFIED',
}

export const GRADE_LABEL_ZH: Record<Grade, string> = {
  [Grade.QUALIFIED]: '合格',
  [Grade.BASICALLY_QUALIFIED]: '基本合格',
  [Grade.UNQUALIFIED]: '不合格',
};

/** Whether a household was graded for a month, or had no evidence to grade (never a silent grade). */
export enum EvaluationStatus {
  GRADED = 'GRADED',
  NO_EVIDENCE = 'NO_EVIDENCE',
}

export enum EvaluationRunStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

export enum EvaluationTrigger {
  SCHEDULE = 'SCHEDULE',
  MANUAL = 'MANUAL',
}

registerEnumType(Grade, {
  name: 'Grade',
  description: 'The monthly grade (一月一评).',
  valuesMap: Object.fromEntries(Object.entries(GRADE_LABEL_ZH).map(([grade, zh]) => [grade, { description: zh }])),
});
registerEnumType(EvaluationStatus, {
  name: 'EvaluationStatus',
  valuesMap: { GRADED: { description: '已评价' }, NO_EVIDENCE: { description: '本月无检查记录，不评价' } },
});
registerEnumType(EvaluationRunStatus, { name: 'EvaluationRunStatus' });
registerEnumType(EvaluationTrigger, { name: 'EvaluationTrigger' });
