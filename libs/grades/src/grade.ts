import { registerEnumType } from '@nestjs/graphql';
import { GRADE_LABEL_ZH as GRADE_LABELS } from '#libs/messaging';

/**
 * The monthly grade as a GraphQL enum, shared by every subgraph that speaks of grades (households grades, notifications
 * quotes them). Its own lib, so loading it never registers another subgraph's entity stubs.
 */
export enum Grade {
  QUALIFIED = 'QUALIFIED',
  BASICALLY_QUALIFIED = 'BASICALLY_QUALIFIED',
  UNQUALIFIED = 'UNQUALIFIED',
}

/** The words are part of the event contract, so they live with it. */
export const GRADE_LABEL_ZH: Record<Grade, string> = GRADE_LABELS;

registerEnumType(Grade, {
  name: 'Grade',
  description: 'The monthly grade (一月一评).',
  valuesMap: Object.fromEntries(Object.entries(GRADE_LABEL_ZH).map(([grade, zh]) => [grade, { description: zh }])),
});
