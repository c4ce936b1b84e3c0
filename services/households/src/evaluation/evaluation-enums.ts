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
  description: 'Whether a household was graded for a month, or had no inspection to grade on.',
  valuesMap: { GRADED: { description: '已评价' }, NO_EVIDENCE: { description: '本月无检查记录，不评价' } },
});
registerEnumType(EvaluationRunStatus, {
  name: 'EvaluationRunStatus',
  valuesMap: {
    QUEUED: { description: 'Waiting for a worker.' },
    RUNNING: { description: 'Grading households now.' },
    COMPLETED: { description: 'Every household of the run was graded.' },
    FAILED: { description: "Stopped with an error; see the run's error and start it again." },
  },
  description: 'Where a monthly evaluation run is.',
});
registerEnumType(EvaluationTrigger, {
  name: 'EvaluationTrigger',
  valuesMap: {
    SCHEDULE: { description: 'The monthly schedule (early in the following month).' },
    MANUAL: { description: 'A person started it (e.g. after correcting inspections).' },
  },
  description: 'What started an evaluation run.',
});
