import { registerEnumType } from '@nestjs/graphql';

export { GRADE_LABEL_ZH, Grade } from '#libs/grades';

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

registerEnumType(EvaluationStatus, {
  name: 'EvaluationStatus',
  valuesMap: { GRADED: { description: '已评价' }, NO_EVIDENCE: { description: '本月无检查记录，不评价' } },
});
registerEnumType(EvaluationRunStatus, { name: 'EvaluationRunStatus' });
registerEnumType(EvaluationTrigger, { name: 'EvaluationTrigger' });
