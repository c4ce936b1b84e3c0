import { registerEnumType } from '@nestjs/graphql';
import { describedValues } from '#libs/platform';

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

/** Each value's Chinese name, then what it means in English, as one description. */
const bilingual = <E extends string>(zh: Record<E, string>, en: Record<E, string>): Record<E, string> =>
  Object.fromEntries((Object.keys(zh) as E[]).map((value) => [value, `${zh[value]}: ${en[value]}`])) as Record<E, string>;

const CASE_STATE_EN: Record<CaseState, string> = {
  [CaseState.OPENED]: 'opened; next, a rectification notice (issueRectificationNotice).',
  [CaseState.RECTIFICATION_NOTICE_ISSUED]: 'the target was told to comply by complyBy.',
  [CaseState.FOLLOW_UP_DUE]: 'complyBy has passed: a follow-up is due (recordFollowUp).',
  [CaseState.CLOSED]: 'the follow-up found the violation rectified; final.',
  [CaseState.NOT_RECTIFIED]: 'the follow-up found it not rectified; a penalty may follow (penalise).',
  [CaseState.PENALISED]: 'fined; appealable until appealDeadline.',
  [CaseState.APPEALED]: 'the penalty is appealed; waiting for the decision (decideAppeal).',
  [CaseState.UPHELD]: 'the appeal failed: the penalty is final and exported to the credit system.',
  [CaseState.OVERTURNED]: 'the appeal succeeded: the penalty is cancelled.',
  [CaseState.REVOKED]: 'the penalty was withdrawn later (reconsideration, court); an export is retracted.',
};

registerEnumType(CaseTargetKind, {
  name: 'CaseTargetKind',
  description: 'Who a case is against: a household, a property company or a unit (an employer, school, …).',
  valuesMap: describedValues(CASE_TARGET_KIND_LABEL_ZH),
});
registerEnumType(CaseState, {
  name: 'CaseState',
  description:
    'Where an enforcement case is in its procedure, from OPENED through the rectification notice, follow-up, penalty and appeal.',
  valuesMap: describedValues(bilingual(CASE_STATE_LABEL_ZH, CASE_STATE_EN)),
});
registerEnumType(AppealOutcome, {
  name: 'AppealOutcome',
  description: 'The decision on an appeal against a penalty.',
  valuesMap: describedValues(APPEAL_OUTCOME_LABEL_ZH),
});
