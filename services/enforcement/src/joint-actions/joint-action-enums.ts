import { registerEnumType } from '@nestjs/graphql';
import { describedValues } from '#libs/platform';

/** A live action holds its bookings; a cancelled one holds nothing and stays in the calendar as cancelled. */
export enum JointActionStatus {
  SCHEDULED = 'SCHEDULED',
  HELD = 'HELD',
  REPORTED = 'REPORTED',
  CANCELLED = 'CANCELLED',
}

export const JOINT_ACTION_STATUS_LABEL_ZH: Record<JointActionStatus, string> = {
  [JointActionStatus.SCHEDULED]: '已排期',
  [JointActionStatus.HELD]: '已开展',
  [JointActionStatus.REPORTED]: '已报告',
  [JointActionStatus.CANCELLED]: '已取消',
};

export enum JointActionChange {
  SCHEDULED = 'SCHEDULED',
  RESCHEDULED = 'RESCHEDULED',
  CANCELLED = 'CANCELLED',
  HELD = 'HELD',
  REPORTED = 'REPORTED',
}

export const JOINT_ACTION_CHANGE_LABEL_ZH: Record<JointActionChange, string> = {
  [JointActionChange.SCHEDULED]: '排期',
  [JointActionChange.RESCHEDULED]: '改期',
  [JointActionChange.CANCELLED]: '取消',
  [JointActionChange.HELD]: '开展',
  [JointActionChange.REPORTED]: '报告',
};

/** What an action found. Household findings become inspections in households; the others violation candidates. */
export enum FindingCategory {
  MIXED_WASTE = 'MIXED_WASTE',
  BAG_DUMPED = 'BAG_DUMPED',
  OUTSIDE_DROP_OFF_HOURS = 'OUTSIDE_DROP_OFF_HOURS',
  BIN_POINT_UNMANAGED = 'BIN_POINT_UNMANAGED',
  ILLEGAL_DUMPING = 'ILLEGAL_DUMPING',
  OTHER = 'OTHER',
}

export const FINDING_CATEGORY_LABEL_ZH: Record<FindingCategory, string> = {
  [FindingCategory.MIXED_WASTE]: '混投混放',
  [FindingCategory.BAG_DUMPED]: '垃圾袋乱扔',
  [FindingCategory.OUTSIDE_DROP_OFF_HOURS]: '不按时投放',
  [FindingCategory.BIN_POINT_UNMANAGED]: '投放点管理不到位',
  [FindingCategory.ILLEGAL_DUMPING]: '乱倒垃圾',
  [FindingCategory.OTHER]: '其他',
};

export enum FindingTargetKind {
  HOUSEHOLD = 'HOUSEHOLD',
  PROPERTY_COMPANY = 'PROPERTY_COMPANY',
  ORG_UNIT = 'ORG_UNIT',
}

export const FINDING_TARGET_KIND_LABEL_ZH: Record<FindingTargetKind, string> = {
  [FindingTargetKind.HOUSEHOLD]: '住户',
  [FindingTargetKind.PROPERTY_COMPANY]: '物业公司',
  [FindingTargetKind.ORG_UNIT]: '区域单元',
};

registerEnumType(JointActionStatus, {
  name: 'JointActionStatus',
  description: 'Where a joint action (管执联动) is: scheduled, cancelled, held, or reported with its figures frozen.',
  valuesMap: describedValues(JOINT_ACTION_STATUS_LABEL_ZH),
});
registerEnumType(JointActionChange, {
  name: 'JointActionChange',
  description: 'What a revision of a joint action changed: its scheduling, a reschedule or a cancellation.',
  valuesMap: describedValues(JOINT_ACTION_CHANGE_LABEL_ZH),
});
registerEnumType(FindingCategory, {
  name: 'FindingCategory',
  description: 'What kind of problem a joint action found.',
  valuesMap: describedValues(FINDING_CATEGORY_LABEL_ZH),
});
registerEnumType(FindingTargetKind, {
  name: 'FindingTargetKind',
  description: "Whom a joint action's finding is about: a household, a property company, or an org unit.",
  valuesMap: describedValues(FINDING_TARGET_KIND_LABEL_ZH),
});
