import { registerEnumType } from '@nestjs/graphql';
import { describedValues } from '#libs/platform';

/** The two branches a civil-servant party member reports to (双报到): the work unit's and the residential community's. */
export enum CheckInBranch {
  WORK = 'WORK',
  COMMUNITY = 'COMMUNITY',
}

export const CHECK_IN_BRANCH_LABEL_ZH: Record<CheckInBranch, string> = {
  [CheckInBranch.WORK]: '单位支部',
  [CheckInBranch.COMMUNITY]: '社区支部',
};

/** What a branch's review is called: 单位支部审核, 社区支部审核. */
export const CHECK_IN_REVIEW_LABEL_ZH: Record<CheckInBranch, string> = {
  [CheckInBranch.WORK]: '单位支部审核',
  [CheckInBranch.COMMUNITY]: '社区支部审核',
};

export enum CheckInVerdict {
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}

export const CHECK_IN_VERDICT_LABEL_ZH: Record<CheckInVerdict, string> = {
  [CheckInVerdict.APPROVED]: '审核通过',
  [CheckInVerdict.REJECTED]: '审核不通过',
};

/**
 * Where a check-in stands with its two reviews, derived from them (a generated column): REJECTED as soon as either
 * branch rejects it, APPROVED once both approved, PARTLY_REVIEWED while one branch approved and the other has not
 * reviewed, PENDING before any review. Everything but REJECTED counts towards the week's quota.
 */
export enum CheckInReviewStatus {
  PENDING = 'PENDING',
  PARTLY_REVIEWED = 'PARTLY_REVIEWED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}

export const CHECK_IN_REVIEW_STATUS_LABEL_ZH: Record<CheckInReviewStatus, string> = {
  [CheckInReviewStatus.PENDING]: '待审核',
  [CheckInReviewStatus.PARTLY_REVIEWED]: '一方支部已通过，待另一方审核',
  [CheckInReviewStatus.APPROVED]: '双方支部审核通过',
  [CheckInReviewStatus.REJECTED]: '审核不通过',
};

registerEnumType(CheckInBranch, {
  name: 'CheckInBranch',
  description: '双报到: the branch reviewing a check-in',
  valuesMap: describedValues(CHECK_IN_BRANCH_LABEL_ZH),
});
registerEnumType(CheckInVerdict, {
  name: 'CheckInVerdict',
  description: "A branch's verdict on a party member's photo check-in.",
  valuesMap: describedValues(CHECK_IN_VERDICT_LABEL_ZH),
});
registerEnumType(CheckInReviewStatus, {
  name: 'CheckInReviewStatus',
  description: "How far a photo check-in's two reviews (work-unit branch and community branch) have got.",
  valuesMap: describedValues(CHECK_IN_REVIEW_STATUS_LABEL_ZH),
});
