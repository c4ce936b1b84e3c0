import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { maskName } from '#libs/privacy';
import {
  DUTY_CADENCE_LABEL_ZH,
  DUTY_KIND_LABEL_ZH,
  DUTY_PERIOD_STATUS_LABEL_ZH,
  DUTY_POST_LABEL_ZH,
  DUTY_RULES,
  DutyCadence,
  DutyKind,
  DutyPeriodStatus,
} from './duty-kinds.js';

@ObjectType('DutyRule', { description: '履职要求: which secretary post owes which duty, how often (the cadence table).' })
export class DutyRuleModel {
  @Field(() => DutyKind, { description: 'The duty.' })
  duty: DutyKind;

  @Field({ description: 'e.g. 每日巡查' })
  labelZh: string;

  @Field(() => DutyCadence, { description: 'How often it is owed: daily, monthly or quarterly.' })
  cadence: DutyCadence;

  @Field({ description: '每日, 每月 or 每季度' })
  cadenceLabelZh: string;

  @Field({
    description:
      'Who owes it: the SECRETARY of a party organisation of this kind (DISTRICT_COMMITTEE, STREET_COMMITTEE, DEPARTMENT_COMMITTEE, ' +
      'COMMUNITY_COMMITTEE), or STREET_LIAISON: the leader of the four bodies who liaises with a street.',
  })
  postKind: string;

  @Field({ description: 'e.g. 社区党委书记, 区四套班子联系领导' })
  postLabelZh: string;

  static of(duty: DutyKind): DutyRuleModel {
    const rule = DUTY_RULES[duty];
    return Object.assign(new DutyRuleModel(), {
      duty,
      labelZh: rule.labelZh,
      cadence: rule.cadence,
      cadenceLabelZh: DUTY_CADENCE_LABEL_ZH[rule.cadence],
      postKind: rule.post,
      postLabelZh: DUTY_POST_LABEL_ZH[rule.post],
    });
  }
}

/** A row of `duty_log` with its post's organisation, as the services read it. */
export interface DutyLogRow {
  id: string;
  partyMemberId: string;
  partyOrgId: string;
  partyOrgName: string;
  duty: DutyKind;
  performedAt: Date;
  performedOn: string;
  orgUnitId: string | null;
  institutionId: string | null;
  leaderId: string | null;
  note: string | null;
  recordedAt: Date;
}

export interface DutyPeriodRow {
  id: string;
  partyMemberId: string | null;
  leaderId: string | null;
  memberName: string;
  partyOrgId: string;
  partyOrgName: string;
  partyOrgKind: string;
  duty: DutyKind;
  periodStart: string;
  periodEnd: string;
  status: DutyPeriodStatus;
  logsCount: number;
  checkedAt: Date;
  metLateAt: Date | null;
  escalatedToPartyOrgId: string | null;
  escalatedToPartyOrgName: string | null;
}

export interface DutyEscalationRow extends DutyPeriodRow {
  escalationId: string;
  repeated: boolean;
  createdAt: Date;
  createdAtKey: string;
  resolvedAt: Date | null;
}

@ObjectType('DutyLog', { description: "履职记录: one duty performed, recorded from the holder's phone." })
export class DutyLog {
  @Field(() => ID, { description: 'Stable id of the log.' })
  id: string;

  @Field(() => DutyKind, { description: 'The duty performed.' })
  duty: DutyKind;

  @Field({ description: 'e.g. 每日巡查' })
  labelZh: string;

  @Field(() => DutyCadence, { description: 'How often the duty is owed.' })
  cadence: DutyCadence;

  @Field({ description: '每日, 每月 or 每季度' })
  cadenceLabelZh: string;

  @Field(() => ID, { description: 'The party member who performed it (for a liaison visit, the leader as a party member).' })
  partyMemberId: string;

  @Field(() => ID, { nullable: true, description: 'The leader who made a liaison visit (对口联系走访); null for other duties.' })
  leaderId: string | null;

  @Field(() => ID, {
    description: "The party organisation whose secretary post owes the duty; for a liaison visit, the street's committee.",
  })
  partyOrgId: string;

  @Field({ description: 'Name of the party organisation whose post owes the duty.' })
  partyOrgName: string;

  @Field({ description: 'When it was performed (ISO 8601 timestamp).' })
  performedAt: Date;

  @Field(() => LocalDateScalar, { description: 'The Shanghai date it was performed on: decides the period it counts for.' })
  performedOn: string;

  /** `orgUnit` and `institution` are resolved in DutyLogResolver, batched per request. */
  orgUnitId: string | null;
  institutionId: string | null;

  @Field(() => String, { nullable: true, description: 'What was found and arranged.' })
  note: string | null;

  @Field({ description: 'When the log was recorded (ISO 8601 timestamp).' })
  recordedAt: Date;

  static from(row: DutyLogRow): DutyLog {
    return Object.assign(new DutyLog(), {
      ...row,
      labelZh: DUTY_KIND_LABEL_ZH[row.duty],
      cadence: DUTY_RULES[row.duty].cadence,
      cadenceLabelZh: DUTY_CADENCE_LABEL_ZH[DUTY_RULES[row.duty].cadence],
    });
  }
}

@ObjectType('DutyPeriod', {
  description:
    '履职周期: one closed period (a day of patrol, a month of door-to-door explanation or supervision, a quarter of liaison visits) ' +
    'of one post or street liaison, MET or MISSED.',
})
export class DutyPeriod {
  @Field(() => ID, { description: 'Stable id of the period.' })
  id: string;

  @Field(() => DutyKind, { description: 'The duty owed.' })
  duty: DutyKind;

  @Field({ description: 'The Chinese name of the duty, e.g. 每日巡查.' })
  labelZh: string;

  @Field(() => DutyCadence, { description: 'Daily, monthly or quarterly.' })
  cadence: DutyCadence;

  @Field({ description: '每日, 每月 or 每季度.' })
  cadenceLabelZh: string;

  @Field(() => ID, {
    nullable: true,
    description:
      "Who owed it: the secretary holding the post on the period's last day; for a liaison visit, the liaison leader's party " +
      'member (null when the leader is not a party member).',
  })
  partyMemberId: string | null;

  @Field(() => ID, { nullable: true, description: "For a liaison visit: the leader liaising with the street on the period's last day." })
  leaderId: string | null;

  @Field({ description: "The member's (or leader's) name, masked (张*明)." })
  memberNameMasked: string;

  @Field(() => ID, { description: 'The party organisation whose post owed the period.' })
  partyOrgId: string;

  @Field({ description: 'Its name.' })
  partyOrgName: string;

  @Field(() => LocalDateScalar, { description: 'First day of the period (Asia/Shanghai).' })
  periodStart: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the period (Asia/Shanghai), inclusive.' })
  periodEnd: string;

  @Field(() => DutyPeriodStatus, { description: 'MET or MISSED.' })
  status: DutyPeriodStatus;

  @Field({ description: '已履职 or 未履职' })
  statusLabelZh: string;

  @Field(() => Int, { description: "The post's logs performed inside the period, late ones included." })
  logsCount: number;

  @Field({ description: 'When the daily check closed it.' })
  checkedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When a log recorded after the check turned it from MISSED to MET.' })
  metLateAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The party organisation a miss was escalated to (the next level up).' })
  escalatedToPartyOrgId: string | null;

  @Field(() => String, { nullable: true, description: 'Name of the party organisation a miss was escalated to.' })
  escalatedToPartyOrgName: string | null;

  static from(row: DutyPeriodRow): DutyPeriod {
    const cadence = DUTY_RULES[row.duty].cadence;
    return Object.assign(new DutyPeriod(), {
      id: row.id,
      duty: row.duty,
      labelZh: DUTY_KIND_LABEL_ZH[row.duty],
      cadence,
      cadenceLabelZh: DUTY_CADENCE_LABEL_ZH[cadence],
      partyMemberId: row.partyMemberId,
      leaderId: row.leaderId,
      memberNameMasked: maskName(row.memberName),
      partyOrgId: row.partyOrgId,
      partyOrgName: row.partyOrgName,
      periodStart: row.periodStart,
      periodEnd: row.periodEnd,
      status: row.status,
      statusLabelZh: DUTY_PERIOD_STATUS_LABEL_ZH[row.status],
      logsCount: row.logsCount,
      checkedAt: row.checkedAt,
      metLateAt: row.metLateAt,
      escalatedToPartyOrgId: row.escalatedToPartyOrgId,
      escalatedToPartyOrgName: row.escalatedToPartyOrgName,
    });
  }
}

@ObjectType({
  description:
    'A page of DutyPeriod items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class DutyPeriodConnection extends Connection(DutyPeriod, 'DutyPeriod') {}

@ObjectType('DutyEscalation', { description: '未履职上报: a missed period, reported once to the next level up.' })
export class DutyEscalation {
  @Field(() => ID, { description: 'Stable id of the escalation.' })
  id: string;

  @Field({ description: '未履职上报' })
  labelZh: string;

  @Field(() => DutyPeriod, { description: 'The missed period.' })
  period: DutyPeriod;

  @Field(() => ID, { description: "The parent party organisation of the post's organisation." })
  escalatedToPartyOrgId: string;

  @Field({ description: 'Name of the party organisation it was reported to.' })
  escalatedToPartyOrgName: string;

  @Field({ description: "The post's previous period of this duty was missed too (two in a row)." })
  repeated: boolean;

  @Field({ description: 'When the daily check escalated it.' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When a late log met the period; the escalation stays on record.' })
  resolvedAt: Date | null;

  static from(row: DutyEscalationRow): DutyEscalation {
    return Object.assign(new DutyEscalation(), {
      id: row.escalationId,
      labelZh: '未履职上报',
      period: DutyPeriod.from(row),
      escalatedToPartyOrgId: row.escalatedToPartyOrgId!,
      escalatedToPartyOrgName: row.escalatedToPartyOrgName!,
      repeated: row.repeated,
      createdAt: row.createdAt,
      resolvedAt: row.resolvedAt,
    });
  }
}

@ObjectType({
  description:
    'A page of DutyEscalation items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class DutyEscalationConnection extends Connection(DutyEscalation, 'DutyEscalation') {}

@ObjectType('DutyComplianceRate', { description: '履职率: closed periods due, met and missed, and met/due.' })
export class DutyComplianceRate {
  @Field(() => DutyKind, { nullable: true, description: 'Null for all duties together.' })
  duty: DutyKind | null;

  @Field({ description: 'e.g. 每日巡查; 全部履职事项 for all duties together.' })
  labelZh: string;

  @Field(() => DutyCadence, { nullable: true, description: "The duty's cadence; null for all duties together." })
  cadence: DutyCadence | null;

  @Field(() => Int, { description: 'Closed periods due.' })
  due: number;

  @Field(() => Int, { description: 'Of them, met.' })
  met: number;

  @Field(() => Int, { description: 'Of them, missed.' })
  missed: number;

  @Field(() => Float, { nullable: true, description: 'met / due, 0–1; null when nothing was due.' })
  rate: number | null;

  static of(duty: DutyKind | null, due: number, met: number): DutyComplianceRate {
    return Object.assign(new DutyComplianceRate(), {
      duty,
      labelZh: duty ? DUTY_KIND_LABEL_ZH[duty] : '全部履职事项',
      cadence: duty ? DUTY_RULES[duty].cadence : null,
      due,
      met,
      missed: due - met,
      rate: due > 0 ? met / due : null,
    });
  }
}

@ObjectType('DutyMemberCompliance', { description: "One member's (or liaison leader's) compliance with one duty in the month." })
export class DutyMemberCompliance {
  @Field(() => ID, { nullable: true, description: 'Null for a liaison leader who is not a party member (see leaderId).' })
  partyMemberId: string | null;

  @Field(() => ID, { nullable: true, description: 'The leader, for liaison visits.' })
  leaderId: string | null;

  @Field({ description: "The member's (or leader's) name, always masked (张*明)." })
  memberNameMasked: string;

  @Field(() => DutyComplianceRate, { description: 'Their periods due, met and missed.' })
  rate: DutyComplianceRate;
}

@ObjectType({
  description:
    'A page of DutyMemberCompliance items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class DutyMemberComplianceConnection extends Connection(DutyMemberCompliance, 'DutyMemberCompliance') {}

@ObjectType('DutyCompliance', {
  description:
    '履职率: compliance with duty cadences in a month, of a party organisation and its subtree (or the whole visible territory), or of one member.',
})
export class DutyCompliance {
  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => ID, { nullable: true, description: 'The party organisation asked about, if any.' })
  partyOrgId: string | null;

  @Field(() => ID, { nullable: true, description: 'The party member asked about, if any.' })
  memberId: string | null;

  @Field(() => DutyComplianceRate, { description: 'All duties together.' })
  total: DutyComplianceRate;

  @Field(() => [DutyComplianceRate], { description: 'One per duty kind (all of them, due 0 when none was owed).' })
  byDuty: DutyComplianceRate[];

  /** Filters for `members`, resolved in DutyComplianceResolver. */
  scope: DutyScope;
}

/** The filters a compliance query was made with, for its `members` connection. */
export interface DutyScope {
  month: string;
  partyOrgId: string | null;
  memberId: string | null;
}

@ObjectType('MyDuty', { description: 'One duty the member owes in the month, and how it stands.' })
export class MyDuty {
  @Field(() => DutyKind, { description: 'The duty owed.' })
  duty: DutyKind;

  @Field({ description: 'The Chinese name of the duty.' })
  labelZh: string;

  @Field(() => DutyCadence, { description: 'Daily, monthly or quarterly.' })
  cadence: DutyCadence;

  @Field({ description: '每日, 每月 or 每季度.' })
  cadenceLabelZh: string;

  @Field(() => ID, { description: 'The party organisation whose post owes it.' })
  partyOrgId: string;

  @Field({ description: 'Its name.' })
  partyOrgName: string;

  @Field(() => Int, {
    description:
      'Periods of the month owed by the post (days held for 每日; 1 for 每月 when held on the last day; 1 for 每季度 when the ' +
      "month's quarter is held on its last day).",
  })
  owed: number;

  @Field(() => Int, { description: 'Owed periods met so far: with at least one log of the post, closed or not.' })
  met: number;

  @Field(() => Int, { description: 'Closed periods MISSED.' })
  missed: number;

  @Field(() => Int, { description: 'Your own logs of this duty in the month.' })
  logs: number;
}

@ObjectType('MyDuties', { description: '我的履职: what a secretary owes in a month and what is met so far.' })
export class MyDuties {
  @Field({ description: 'YYYY-MM.' })
  month: string;

  @Field(() => ID, { description: 'You, as a party member.' })
  partyMemberId: string;

  @Field(() => [MyDuty], { description: 'One per post and duty (a member holds few posts).' })
  duties: MyDuty[];
}
