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

const GRADE_EN: Record<Grade, string> = {
  [Grade.QUALIFIED]: "the household sorted well: the month's score reached the rules' QUALIFIED threshold.",
  [Grade.BASICALLY_QUALIFIED]: 'passable: above the lower threshold, or capped by an issue the rules cap at.',
  [Grade.UNQUALIFIED]: 'below the lower threshold, or too many FAIL inspections in the month.',
};

registerEnumType(Grade, {
  name: 'Grade',
  description: 'The monthly grade (一月一评).',
  valuesMap: Object.fromEntries(
    Object.entries(GRADE_LABEL_ZH).map(([grade, zh]) => [grade, { description: `${zh}: ${GRADE_EN[grade as Grade]}` }]),
  ),
});
