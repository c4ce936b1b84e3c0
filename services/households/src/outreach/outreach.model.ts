import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '#libs/pagination';
import {
  CLAIMANT_TYPE_LABEL_ZH,
  ClaimantType,
  ClaimStatus,
  OUTREACH_TIER_LABEL_ZH,
  OutreachTier,
  VISIT_OUTCOME_LABEL_ZH,
  VisitOutcome,
} from './outreach-enums.js';
import type { FollowUpVisitRow, HouseholdClaimRow, HouseholdUpgradeRow, OutreachPlanRow } from './outreach.entity.js';

@ObjectType('OutreachPlan', { description: '帮扶方案: the outreach a tier of households gets each month (分档管理).' })
export class OutreachPlan {
  @Field(() => OutreachTier, { description: 'The tier the plan is for.' })
  tier: OutreachTier;

  @Field({ description: 'e.g. 不合格户帮扶方案' })
  labelZh: string;

  @Field(() => Int, { description: 'Follow-up visits a claimant owes each claimed household of this tier per month.' })
  visitsPerMonth: number;

  @Field(() => [String], { description: 'What the visits consist of, in Chinese (入户讲解, 桶边陪同投放…).' })
  actions: string[];

  @Field({ description: 'What the plan is about, in the words of whoever set it.' })
  description: string;

  @Field(() => Int, { description: 'Starts at 1 and grows with every change.' })
  version: number;

  @Field({ description: 'User id of whoever changed the plan last.' })
  updatedBy: string;

  @Field({ description: 'When the plan last changed (ISO 8601 timestamp).' })
  updatedAt: Date;

  static from(row: OutreachPlanRow): OutreachPlan {
    return Object.assign(new OutreachPlan(), { ...row, labelZh: `${OUTREACH_TIER_LABEL_ZH[row.tier]}户帮扶方案` });
  }
}

@ObjectType('HouseholdClaim', {
  description: '认领: a party member (党员认领) or backbone volunteer (骨干包干) responsible for a household of a lower tier.',
})
export class HouseholdClaim {
  @Field(() => ID, { description: 'Stable id of the claim.' })
  id: string;

  @Field({ description: '党员认领 or 骨干包干' })
  labelZh: string;

  /** `household`, `visitsThisMonth` and `visitsRequired` are resolved in HouseholdClaimResolver, batched per request. */
  householdId: string;

  @Field({ description: 'User id of the party member or volunteer holding the claim.' })
  claimantId: string;

  @Field(() => ClaimantType, { description: 'Whether a party member or a volunteer holds it.' })
  claimantType: ClaimantType;

  @Field(() => OutreachTier, { description: "The household's tier when it was claimed." })
  tier: OutreachTier;

  @Field({ description: 'The month (YYYY-MM) whose grade put the household in that tier.' })
  month: string;

  @Field(() => ClaimStatus, { description: 'ACTIVE, RELEASED, or UPGRADED (ended by a QUALIFIED grade).' })
  status: ClaimStatus;

  @Field({ description: 'The claimant, or the community secretary who assigned the claim.' })
  claimedBy: string;

  @Field({ description: 'When the claim was made (ISO 8601 timestamp).' })
  claimedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the claim was released or ended by an upgrade.' })
  endedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'User id of whoever released it (RELEASED).' })
  releasedBy: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was released (RELEASED).' })
  releaseReason: string | null;

  @Field(() => String, { nullable: true, description: 'The month (YYYY-MM) whose QUALIFIED grade ended the claim.' })
  upgradedMonth: string | null;

  static from(row: HouseholdClaimRow): HouseholdClaim {
    return Object.assign(new HouseholdClaim(), {
      id: row.id,
      labelZh: CLAIMANT_TYPE_LABEL_ZH[row.claimantType],
      householdId: row.householdId,
      claimantId: row.claimantId,
      claimantType: row.claimantType,
      tier: row.tier,
      month: String(row.month).slice(0, 7),
      status: row.status,
      claimedBy: row.claimedBy,
      claimedAt: row.claimedAt,
      endedAt: row.endedAt,
      releasedBy: row.releasedBy,
      releaseReason: row.releaseReason,
      upgradedMonth: row.upgradedMonth ? String(row.upgradedMonth).slice(0, 7) : null,
    });
  }
}

@ObjectType({
  description:
    'A page of HouseholdClaim items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class HouseholdClaimConnection extends Connection(HouseholdClaim, 'HouseholdClaim') {}

@ObjectType('FollowUpVisit', { description: '入户回访: a visit a claimant made to a claimed household.' })
export class FollowUpVisit {
  @Field(() => ID, { description: 'Stable id of the visit.' })
  id: string;

  @Field({ description: '入户回访' })
  labelZh: string;

  @Field(() => ID, { description: 'The claim it was made under.' })
  claimId: string;

  @Field({ description: 'When the visit took place (ISO 8601 timestamp).' })
  visitedAt: Date;

  @Field(() => VisitOutcome, { description: 'How the visit went.' })
  outcome: VisitOutcome;

  @Field({ description: 'The outcome in Chinese.' })
  outcomeLabelZh: string;

  @Field(() => String, { nullable: true, description: "The visitor's note, up to 500 characters (no names or phone numbers)." })
  note: string | null;

  @Field({ description: 'User id of whoever recorded it.' })
  recordedBy: string;

  @Field({ description: 'When it was recorded (ISO 8601 timestamp).' })
  createdAt: Date;

  static from(row: FollowUpVisitRow): FollowUpVisit {
    return Object.assign(new FollowUpVisit(), {
      id: row.id,
      labelZh: '入户回访',
      claimId: row.claimId,
      visitedAt: row.visitedAt,
      outcome: row.outcome,
      outcomeLabelZh: VISIT_OUTCOME_LABEL_ZH[row.outcome],
      note: row.note,
      recordedBy: row.recordedBy,
      createdAt: row.createdAt,
    });
  }
}

@ObjectType({
  description:
    'A page of FollowUpVisit items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class FollowUpVisitConnection extends Connection(FollowUpVisit, 'FollowUpVisit') {}

@ObjectType('HouseholdUpgrade', { description: '不合格→合格: a household graded UNQUALIFIED one month and QUALIFIED the next.' })
export class HouseholdUpgrade {
  @Field({ description: '不合格户升为合格户' })
  labelZh: string;

  /** `household` and `claim` are resolved in HouseholdUpgradeResolver, batched per request. */
  householdId: string;

  @Field({ description: 'The month (YYYY-MM) graded QUALIFIED; the month before it was graded UNQUALIFIED.' })
  month: string;

  @Field({ description: 'Whether a party member or volunteer held a claim on the household when it was upgraded.' })
  claimed: boolean;

  @Field(() => ClaimantType, { nullable: true, description: 'Who held that claim (党员认领 or 骨干包干).' })
  claimantType: ClaimantType | null;

  claimId: string | null;

  static from(row: HouseholdUpgradeRow): HouseholdUpgrade {
    return Object.assign(new HouseholdUpgrade(), {
      labelZh: '不合格户升为合格户',
      householdId: row.householdId,
      month: String(row.month).slice(0, 7),
      claimed: row.claimId !== null,
      claimantType: row.claimantType,
      claimId: row.claimId,
    });
  }
}

@ObjectType({
  description:
    'A page of HouseholdUpgrade items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class HouseholdUpgradeConnection extends Connection(HouseholdUpgrade, 'HouseholdUpgrade') {}

@ObjectType('UpgradeCount', { description: 'Upgrades from 不合格 to 合格 in a territory over a period of months.' })
export class UpgradeCount {
  @Field({ description: 'First month counted, YYYY-MM.' })
  fromMonth: string;

  @Field({ description: 'Last month counted, YYYY-MM (inclusive).' })
  toMonth: string;

  @Field(() => Int, { description: 'Distinct households upgraded at least once in the period.' })
  households: number;

  @Field(() => Int, { description: 'Upgrades in the period (a household upgraded twice counts twice).' })
  upgrades: number;

  @Field(() => Int, { description: 'Upgrades of households that had an active claim at the time.' })
  claimed: number;

  @Field(() => Int, { description: '…of which claimed by party members (党员认领).' })
  claimedByPartyMembers: number;

  @Field(() => Int, { description: '…of which claimed by backbone volunteers (骨干包干).' })
  claimedByVolunteers: number;
}
