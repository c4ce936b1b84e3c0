import { registerEnumType } from '@nestjs/graphql';

export enum CaseTargetKind {
  HOUSEHOLD = 'HOUSEHOLD',
  PROPERTY_COMPANY = 'PROPERTY_COMPANY',
  UNIT = 'UNIT',
}

export const CASE_TARGET_KIND_LABEL_ZH: Record<CaseTargetKind, string> = {
  [CaseTargetKind.HOUSEHOLD]: '住户',
  [CaseTargetKind.PROPERTY_COMPANY]: '物业企业',
  [CaseTargetKind.UNIT]: '单位',
};

/**
 * OPENED → RECTIFICATION_NOTICE_ISSUED → (job at the comply-by date) FOLLOW_UP_DUE → CLOSED | NOT_RECTIFIED;
 * NOT_RECTIFIED → PENALISED → APPEALED (inside the appeal window) → UPHELD | OVERTURNED;
 * PENALISED | UPHELD → REVOKED (the penalty is withdrawn; an export already made is retracted).
 */
export enum CaseState {
  OPENED = 'OPENED',
  RECTIFICATION_NOTICE_ISSUED = 'RECTIFICATION_NOTICE_ISSUED',
  FOLLOW_UP_DUE = 'FOLLOW_UP_DUE',
  CLOSED = 'CLOSED',
  NOT_RECTIFIED = 'NOT_RECTIFIED',
  PENALISED = 'PENALISED',
  APPEALED = 'APPEALED',
  UPHELD = 'UPHELD',
  OVERTURNED = 'OVERTURNED',
  REVOKED = 'REVOKED',
}

export const CASE_STATE_LABEL_ZH: Record<CaseState, string> = {
  [CaseState.OPENED]: '已立案',
  [CaseState.RECTIFICATION_NOTICE_ISSUED]: '已下达整改通知',
  [CaseState.FOLLOW_UP_DUE]: '待复查',
  [CaseState.CLOSED]: '已整改结案',
  [CaseState.NOT_RECTIFIED]: '逾期未整改',
  [CaseState.PENALISED]: '已处罚',
  [CaseState.APPEALED]: '申诉中',
  [CaseState.UPHELD]: '申诉驳回，维持处罚',
  [CaseState.OVERTURNED]: '申诉成立，撤销处罚',
  [CaseState.REVOKED]: '处罚已撤销',
};

export enum AppealOutcome {
  UPHELD = 'UPHELD',
  OVERTURNED = 'OVERTURNED',
}

export const APPEAL_OUTCOME_LABEL_ZH: Record<AppealOutcome, string> = {
  [AppealOutcome.UPHELD]: '维持原处罚',
  [AppealOutcome.OVERTURNED]: '撤销处罚',
};

/** Which transitions each action may make: from any of `from` to `to`. */
export const TRANSITIONS = {
  issueRectificationNotice: { from: [CaseState.OPENED], to: CaseState.RECTIFICATION_NOTICE_ISSUED },
  followUpDue: { from: [CaseState.RECTIFICATION_NOTICE_ISSUED], to: CaseState.FOLLOW_UP_DUE },
  recordFollowUp: { from: [CaseState.FOLLOW_UP_DUE], to: null },
  penalise: { from: [CaseState.NOT_RECTIFIED], to: CaseState.PENALISED },
  appealPenalty: { from: [CaseState.PENALISED], to: CaseState.APPEALED },
  decideAppeal: { from: [CaseState.APPEALED], to: null },
  revokePenalty: { from: [CaseState.PENALISED, CaseState.UPHELD], to: CaseState.REVOKED },
} as const;

const described = <E extends string>(labels: Record<E, string>) =>
  Object.fromEntries(Object.entries(labels).map(([value, zh]) => [value, { description: zh as string }]));

registerEnumType(CaseTargetKind, { name: 'CaseTargetKind', description: 'Who a case is against: a household, a property company or a unit (an employer, school, …).', valuesMap: described(CASE_TARGET_KIND_LABEL_ZH) });
registerEnumType(CaseState, { name: 'CaseState', description: 'Where an enforcement case is in its procedure, from OPENED through the rectification notice, follow-up, penalty and appeal.', valuesMap: described(CASE_STATE_LABEL_ZH) });
registerEnumType(AppealOutcome, { name: 'AppealOutcome', description: 'The decision on an appeal against a penalty.', valuesMap: described(APPEAL_OUTCOME_LABEL_ZH) });
