import { registerEnumType } from '@nestjs/graphql';
import { INSPECTION_ISSUE_LABEL_ZH as ISSUE_LABELS } from '#libs/messaging';

export enum InspectionKind {
  BIN_SIDE = 'BIN_SIDE',
  BAG_CHECK = 'BAG_CHECK',
  DOOR_VISIT = 'DOOR_VISIT',
  PATROL = 'PATROL',
}

export enum InspectionResult {
  PASS = 'PASS',
  MINOR_ISSUE = 'MINOR_ISSUE',
  FAIL = 'FAIL',
}

export enum InspectionIssue {
  KITCHEN_WASTE_CONTAMINATED = 'KITCHEN_WASTE_CONTAMINATED',
  RECYCLABLES_MIXED = 'RECYCLABLES_MIXED',
  HAZARDOUS_MISSORTED = 'HAZARDOUS_MISSORTED',
  BAG_DUMPED = 'BAG_DUMPED',
  BAG_NOT_BROKEN = 'BAG_NOT_BROKEN',
  OUTSIDE_DROP_OFF_HOURS = 'OUTSIDE_DROP_OFF_HOURS',
  OTHER = 'OTHER',
}

export const INSPECTION_KIND_LABEL_ZH: Record<InspectionKind, string> = {
  [InspectionKind.BIN_SIDE]: '桶边督导',
  [InspectionKind.BAG_CHECK]: '破袋检查',
  [InspectionKind.DOOR_VISIT]: '入户宣传',
  [InspectionKind.PATROL]: '巡查',
};

export const INSPECTION_RESULT_LABEL_ZH: Record<InspectionResult, string> = {
  [InspectionResult.PASS]: '合格',
  [InspectionResult.MINOR_ISSUE]: '有小问题',
  [InspectionResult.FAIL]: '不合格',
};

/** The words are part of the event contract (notifications quotes them in notices). */
export const INSPECTION_ISSUE_LABEL_ZH: Record<InspectionIssue, string> = ISSUE_LABELS;

const describe = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([value, zh]) => [value, { description: zh }]));
registerEnumType(InspectionKind, { name: 'InspectionKind', description: 'How an inspection was made (e.g. 桶边督导 at the bins, 入户检查 at home); each value carries its Chinese name.', valuesMap: describe(INSPECTION_KIND_LABEL_ZH) });
registerEnumType(InspectionResult, { name: 'InspectionResult', description: "What an inspection of a household's sorting found: PASS, MINOR_ISSUE or FAIL.", valuesMap: describe(INSPECTION_RESULT_LABEL_ZH) });
registerEnumType(InspectionIssue, { name: 'InspectionIssue', description: 'A sorting problem an inspection can note (mixed streams, bags not broken, …); each value carries its Chinese name.', valuesMap: describe(INSPECTION_ISSUE_LABEL_ZH) });
