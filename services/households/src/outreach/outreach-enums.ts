import { registerEnumType } from '@nestjs/graphql';
import { describedValues } from '#libs/platform';

/** The two lower tiers of the monthly grade, which get outreach (分档管理). QUALIFIED households get none. */
export enum OutreachTier {
  UNQUALIFIED = 'UNQUALIFIED',
  BASICALLY_QUALIFIED = 'BASICALLY_QUALIFIED',
}

export const OUTREACH_TIER_LABEL_ZH: Record<OutreachTier, string> = {
  [OutreachTier.UNQUALIFIED]: '不合格',
  [OutreachTier.BASICALLY_QUALIFIED]: '基本合格',
};

/** Who holds a claim: a party member (党员认领) or a backbone volunteer responsible for a block (骨干包干). */
export enum ClaimantType {
  PARTY_MEMBER = 'PARTY_MEMBER',
  VOLUNTEER = 'VOLUNTEER',
}

export const CLAIMANT_TYPE_LABEL_ZH: Record<ClaimantType, string> = {
  [ClaimantType.PARTY_MEMBER]: '党员认领',
  [ClaimantType.VOLUNTEER]: '骨干包干',
};

/** ACTIVE → RELEASED (given up or taken away) or ACTIVE → UPGRADED (the household was graded QUALIFIED). */
export enum ClaimStatus {
  ACTIVE = 'ACTIVE',
  RELEASED = 'RELEASED',
  UPGRADED = 'UPGRADED',
}

export enum VisitOutcome {
  EXPLAINED = 'EXPLAINED',
  ACCOMPANIED_AT_BIN = 'ACCOMPANIED_AT_BIN',
  NOT_HOME = 'NOT_HOME',
  REFUSED = 'REFUSED',
}

export const VISIT_OUTCOME_LABEL_ZH: Record<VisitOutcome, string> = {
  [VisitOutcome.EXPLAINED]: '已上门讲解',
  [VisitOutcome.ACCOMPANIED_AT_BIN]: '已桶边陪同投放',
  [VisitOutcome.NOT_HOME]: '未遇到住户',
  [VisitOutcome.REFUSED]: '住户拒绝配合',
};

registerEnumType(OutreachTier, {
  name: 'OutreachTier',
  description: 'The two grade tiers that get outreach (分档：需要帮扶的两档): households graded UNQUALIFIED or BASICALLY_QUALIFIED.',
  valuesMap: describedValues(OUTREACH_TIER_LABEL_ZH),
});
registerEnumType(ClaimantType, {
  name: 'ClaimantType',
  description: 'Who holds a claim on a household: a party member (党员认领) or a backbone volunteer (骨干包干).',
  valuesMap: describedValues(CLAIMANT_TYPE_LABEL_ZH),
});
registerEnumType(ClaimStatus, {
  name: 'ClaimStatus',
  description: 'Whether a claim is held, released, or ended because the household was upgraded to QUALIFIED.',
  valuesMap: { ACTIVE: { description: '认领中' }, RELEASED: { description: '已解除认领' }, UPGRADED: { description: '已升为合格' } },
});
registerEnumType(VisitOutcome, {
  name: 'VisitOutcome',
  description: 'How a follow-up visit went; each value carries its Chinese name.',
  valuesMap: describedValues(VISIT_OUTCOME_LABEL_ZH),
});
