import { registerEnumType } from '@nestjs/graphql';
import { INSPECTION_ISSUE_LABEL_ZH as ISSUE_LABELS, INSPECTION_RESULT_LABEL_ZH, InspectionIssue, InspectionResult } from '#libs/messaging';

/** Results and issues are shared with enforcement (libs/messaging); kinds are households' own. */
export { INSPECTION_RESULT_LABEL_ZH, InspectionIssue, InspectionResult };

export enum InspectionKind {
  BIN_SIDE = 'BIN_SIDE',
  BAG_CHECK = 'BAG_CHECK',
  DOOR_VISIT = 'DOOR_VISIT',
  PATROL = 'PATROL',
}

export const INSPECTION_KIND_LABEL_ZH: Record<InspectionKind, string> = {
  [InspectionKind.BIN_SIDE]: '桶边督导',
  [InspectionKind.BAG_CHECK]: '破袋检查',
  [InspectionKind.DOOR_VISIT]: '入户宣传',
  [InspectionKind.PATROL]: '巡查',
};

/** The words are part of the event contract (notifications quotes them in notices). */
export const INSPECTION_ISSUE_LABEL_ZH: Record<InspectionIssue, string> = ISSUE_LABELS;

const describe = (labels: Record<string, string>) =>
  Object.fromEntries(Object.entries(labels).map(([value, zh]) => [value, { description: zh }]));
registerEnumType(InspectionKind, {
  name: 'InspectionKind',
  description: 'How an inspection was made (e.g. 桶边督导 at the bins, 入户检查 at home); each value carries its Chinese name.',
  valuesMap: describe(INSPECTION_KIND_LABEL_ZH),
});
registerEnumType(InspectionResult, {
  name: 'InspectionResult',
  description: "What an inspection of a household's sorting found: PASS, MINOR_ISSUE or FAIL.",
  valuesMap: describe(INSPECTION_RESULT_LABEL_ZH),
});
registerEnumType(InspectionIssue, {
  name: 'InspectionIssue',
  description: 'A sorting problem an inspection can note (mixed streams, bags not broken, …); each value carries its Chinese name.',
  valuesMap: describe(INSPECTION_ISSUE_LABEL_ZH),
});
