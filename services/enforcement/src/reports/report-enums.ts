import { registerEnumType } from '@nestjs/graphql';
import { describedValues } from '#libs/platform';

export enum ReportChannel {
  /** 鄞领城事随手拍: a resident's snap-and-report with photos. */
  APP = 'APP',
  /** 24小时举报电话: an operator enters the call. */
  HOTLINE = 'HOTLINE',
  /** 垃圾分类市民观察团: a member of the citizen observer group. */
  OBSERVER = 'OBSERVER',
  /** Through the public Open311 GeoReport v2 interface. */
  OPEN311 = 'OPEN311',
}

export const REPORT_CHANNEL_LABEL_ZH: Record<ReportChannel, string> = {
  [ReportChannel.APP]: '随手拍',
  [ReportChannel.HOTLINE]: '24小时举报电话',
  [ReportChannel.OBSERVER]: '市民观察团',
  [ReportChannel.OPEN311]: 'Open311 接口',
};

/** SUBMITTED → TRIAGED → ASSIGNED → IN_PROGRESS → RESOLVED | REJECTED | DUPLICATE; reopening goes back to SUBMITTED. */
export enum ReportStatus {
  SUBMITTED = 'SUBMITTED',
  TRIAGED = 'TRIAGED',
  ASSIGNED = 'ASSIGNED',
  IN_PROGRESS = 'IN_PROGRESS',
  RESOLVED = 'RESOLVED',
  REJECTED = 'REJECTED',
  DUPLICATE = 'DUPLICATE',
}

export const REPORT_STATUS_LABEL_ZH: Record<ReportStatus, string> = {
  [ReportStatus.SUBMITTED]: '已提交',
  [ReportStatus.TRIAGED]: '已分拣',
  [ReportStatus.ASSIGNED]: '已派单',
  [ReportStatus.IN_PROGRESS]: '处置中',
  [ReportStatus.RESOLVED]: '已办结',
  [ReportStatus.REJECTED]: '不予受理',
  [ReportStatus.DUPLICATE]: '重复举报',
};

export const CLOSED_STATUSES: readonly ReportStatus[] = [ReportStatus.RESOLVED, ReportStatus.REJECTED, ReportStatus.DUPLICATE];

/** Who a report is assigned to: a bureau (DEPARTMENT institution), a team of a joint action, or an org unit. */
export enum ReportAssigneeKind {
  BUREAU = 'BUREAU',
  TEAM = 'TEAM',
  UNIT = 'UNIT',
}

export const REPORT_ASSIGNEE_KIND_LABEL_ZH: Record<ReportAssigneeKind, string> = {
  [ReportAssigneeKind.BUREAU]: '职能部门',
  [ReportAssigneeKind.TEAM]: '执法队伍',
  [ReportAssigneeKind.UNIT]: '属地单位',
};

/** What was done to a report, one history row each. */
export enum ReportAction {
  SUBMIT = 'SUBMIT',
  TRIAGE = 'TRIAGE',
  ASSIGN = 'ASSIGN',
  START = 'START',
  RESOLVE = 'RESOLVE',
  REJECT = 'REJECT',
  MARK_DUPLICATE = 'MARK_DUPLICATE',
  REOPEN = 'REOPEN',
  /** 核实: a handler confirms the problem is real; the status stays. */
  VERIFY = 'VERIFY',
}

export const REPORT_ACTION_LABEL_ZH: Record<ReportAction, string> = {
  [ReportAction.SUBMIT]: '提交',
  [ReportAction.TRIAGE]: '分拣',
  [ReportAction.ASSIGN]: '派单',
  [ReportAction.START]: '开始处置',
  [ReportAction.RESOLVE]: '办结',
  [ReportAction.REJECT]: '不予受理',
  [ReportAction.MARK_DUPLICATE]: '标记重复',
  [ReportAction.REOPEN]: '重新打开',
  [ReportAction.VERIFY]: '核实',
};

/** What a verified report became, once: evidence of a case, or a failed inspection of the household it names. */
export enum ReportEvidenceKind {
  CASE = 'CASE',
  INSPECTION = 'INSPECTION',
}

export const REPORT_EVIDENCE_KIND_LABEL_ZH: Record<ReportEvidenceKind, string> = {
  [ReportEvidenceKind.CASE]: '立案证据',
  [ReportEvidenceKind.INSPECTION]: '计入检查记录',
};

/** The actions that move a report from one status to another (verifying keeps the status). */
export type StepAction = Exclude<ReportAction, ReportAction.SUBMIT | ReportAction.VERIFY>;

/** The statuses an action may start from, and where it leads. */
export const TRANSITIONS: Record<StepAction, { from: ReportStatus[]; to: ReportStatus }> = {
  [ReportAction.TRIAGE]: { from: [ReportStatus.SUBMITTED], to: ReportStatus.TRIAGED },
  [ReportAction.ASSIGN]: { from: [ReportStatus.TRIAGED, ReportStatus.ASSIGNED], to: ReportStatus.ASSIGNED },
  [ReportAction.START]: { from: [ReportStatus.ASSIGNED], to: ReportStatus.IN_PROGRESS },
  [ReportAction.RESOLVE]: { from: [ReportStatus.IN_PROGRESS], to: ReportStatus.RESOLVED },
  [ReportAction.REJECT]: {
    from: [ReportStatus.SUBMITTED, ReportStatus.TRIAGED, ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS],
    to: ReportStatus.REJECTED,
  },
  [ReportAction.MARK_DUPLICATE]: { from: [ReportStatus.SUBMITTED, ReportStatus.TRIAGED], to: ReportStatus.DUPLICATE },
  [ReportAction.REOPEN]: { from: [ReportStatus.RESOLVED, ReportStatus.REJECTED], to: ReportStatus.SUBMITTED },
};

/** Each value's Chinese name, then what it means in English, as one description. */
const bilingual = <E extends string>(zh: Record<E, string>, en: Record<E, string>): Record<E, string> =>
  Object.fromEntries((Object.keys(zh) as E[]).map((value) => [value, `${zh[value]}: ${en[value]}`])) as Record<E, string>;

const REPORT_STATUS_EN: Record<ReportStatus, string> = {
  [ReportStatus.SUBMITTED]: 'filed (or reopened), waiting for triage; due after the category response hours.',
  [ReportStatus.TRIAGED]: 'checked and categorised; waiting to be assigned.',
  [ReportStatus.ASSIGNED]: 'assigned to a bureau, team or unit.',
  [ReportStatus.IN_PROGRESS]: 'the assignee is handling it.',
  [ReportStatus.RESOLVED]: 'handled; the reporter may reopen it.',
  [ReportStatus.REJECTED]: 'not accepted (the note says why); the reporter may reopen it.',
  [ReportStatus.DUPLICATE]: 'the same as an earlier report (duplicateOfId); final.',
};

registerEnumType(ReportChannel, {
  name: 'ReportChannel',
  description:
    'How a citizen report reached the platform: the app (随手拍), the hotline, a citizen observer, or the public Open311 interface.',
  valuesMap: describedValues(REPORT_CHANNEL_LABEL_ZH),
});
registerEnumType(ReportStatus, {
  name: 'ReportStatus',
  description: 'Where a citizen report is in its handling, from SUBMITTED to RESOLVED, REJECTED or DUPLICATE.',
  valuesMap: describedValues(bilingual(REPORT_STATUS_LABEL_ZH, REPORT_STATUS_EN)),
});
registerEnumType(ReportAssigneeKind, {
  name: 'ReportAssigneeKind',
  description: 'What a report is assigned to: a bureau, a team or an org unit.',
  valuesMap: describedValues(REPORT_ASSIGNEE_KIND_LABEL_ZH),
});
registerEnumType(ReportAction, {
  name: 'ReportAction',
  description: "What a step in a report's history did (submit, triage, assign, …).",
  valuesMap: describedValues(REPORT_ACTION_LABEL_ZH),
});
registerEnumType(ReportEvidenceKind, {
  name: 'ReportEvidenceKind',
  description: 'What a verified report became as evidence: a case, or an inspection of a household.',
  valuesMap: describedValues(REPORT_EVIDENCE_KIND_LABEL_ZH),
});
