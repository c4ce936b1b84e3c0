import { registerEnumType } from '@nestjs/graphql';
import { describedValues } from '#libs/platform';

/** The duties of the "1" (the district's leaders) and of the "3" (DOMAIN.md §1). */
export enum DutyKind {
  /** 区委书记现场督导: the district party committee's secretary supervises sorting on site, in person. */
  DISTRICT_SUPERVISION = 'DISTRICT_SUPERVISION',
  /** 对口联系走访: a leader of the four leadership bodies visits the street they liaise with. */
  LIAISON_VISIT = 'LIAISON_VISIT',
  /** 每月上门讲解: a street/township committee secretary explains sorting to residents door to door. */
  DOOR_TO_DOOR_EXPLANATION = 'DOOR_TO_DOOR_EXPLANATION',
  /** 每月督查下属行业单位: a department committee secretary (the department head) supervises the sector units. */
  SECTOR_SUPERVISION = 'SECTOR_SUPERVISION',
  /** 每日巡查: a community committee secretary patrols the community. */
  PATROL = 'PATROL',
}

export enum DutyCadence {
  DAILY = 'DAILY',
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
}

export const DUTY_CADENCE_LABEL_ZH: Record<DutyCadence, string> = {
  [DutyCadence.DAILY]: '每日',
  [DutyCadence.MONTHLY]: '每月',
  [DutyCadence.QUARTERLY]: '每季度',
};

/** The first day of the calendar quarter of a date: '2025-05-17' → '2025-04-01'. */
export function quarterStart(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-${String(month - ((month - 1) % 3)).padStart(2, '0')}-01`;
}

/** The kinds of party organisation whose SECRETARY owes a duty (values of `party_org.kind`). */
export type SecretaryPostKind = 'DISTRICT_COMMITTEE' | 'STREET_COMMITTEE' | 'DEPARTMENT_COMMITTEE' | 'COMMUNITY_COMMITTEE';

/**
 * Who owes a duty: the SECRETARY of a party organisation of a kind, or (STREET_LIAISON) the leader of the four bodies
 * who liaises with a street (`leader_liaison`).
 */
export type DutyPostKind = SecretaryPostKind | 'STREET_LIAISON';

export const DUTY_POST_LABEL_ZH: Record<DutyPostKind, string> = {
  DISTRICT_COMMITTEE: '区委书记',
  STREET_LIAISON: '区四套班子联系领导',
  STREET_COMMITTEE: '镇街党委书记',
  DEPARTMENT_COMMITTEE: '职能部门党委书记（部门负责人）',
  COMMUNITY_COMMITTEE: '社区党委书记',
};

export interface DutyRule {
  labelZh: string;
  cadence: DutyCadence;
  /** Who owes it: the SECRETARY of a party organisation of this kind, or a street's liaison leader. */
  post: DutyPostKind;
  /**
   * Where it is performed: a community or compound of the post's territory (TERRITORY); a street, community or
   * compound of the district (DISTRICT); a sector unit of the department (SECTOR_UNIT); the street liaised with, or a
   * community or compound of it (LIAISON_STREET).
   */
  place: 'TERRITORY' | 'DISTRICT' | 'SECTOR_UNIT' | 'LIAISON_STREET';
}

/**
 * THE cadence table: which post owes which duty, how often. Everything else (recording, the daily check, the
 * compliance rates, the demo data) reads it from here; SQL gets it through `DUTY_RULES_SQL`.
 *
 * A period's duty is met by at least one log performed inside it (Shanghai dates): a day for DAILY, a calendar month
 * for MONTHLY, a calendar quarter (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec) for QUARTERLY.
 *
 * Who owes a period when posts change hands within it: a DAILY period is owed by whoever holds the post that day
 * (one secretary at a time, so exactly one). A MONTHLY period is owed by whoever holds the post on the month's
 * last day: the one in office when the month is closed answers for it, so each post owes each month once, never
 * twice (a predecessor who left on the 10th and a successor from the 11th would otherwise both owe it) and never
 * not at all. Logs of the post count whoever in it recorded them, because the duty belongs to the post: the street
 * got its door-to-door visit even if the predecessor made it. A secretary may log on any day they hold the post.
 *
 * A QUARTERLY period follows the same rule: a street's liaison visit of a quarter is owed by the leader who liaises
 * with the street on the quarter's last day, and any liaison leader's visit to the street in the quarter meets it
 * (a street has one liaison leader at a time). The visits are kept on the street's committee (the party
 * organisation tied to the street): that is where the street and the levels above read them, and where a miss is
 * escalated from (to the district committee). The district committee's own duty has nobody above to escalate to.
 */
export const DUTY_RULES: Record<DutyKind, DutyRule> = {
  [DutyKind.DISTRICT_SUPERVISION]: {
    labelZh: '区委书记现场督导',
    cadence: DutyCadence.MONTHLY,
    post: 'DISTRICT_COMMITTEE',
    place: 'DISTRICT',
  },
  [DutyKind.LIAISON_VISIT]: { labelZh: '对口联系走访', cadence: DutyCadence.QUARTERLY, post: 'STREET_LIAISON', place: 'LIAISON_STREET' },
  [DutyKind.DOOR_TO_DOOR_EXPLANATION]: {
    labelZh: '每月上门讲解',
    cadence: DutyCadence.MONTHLY,
    post: 'STREET_COMMITTEE',
    place: 'TERRITORY',
  },
  [DutyKind.SECTOR_SUPERVISION]: {
    labelZh: '每月督查下属行业单位',
    cadence: DutyCadence.MONTHLY,
    post: 'DEPARTMENT_COMMITTEE',
    place: 'SECTOR_UNIT',
  },
  [DutyKind.PATROL]: { labelZh: '每日巡查', cadence: DutyCadence.DAILY, post: 'COMMUNITY_COMMITTEE', place: 'TERRITORY' },
};

export const DUTY_KINDS = Object.keys(DUTY_RULES) as DutyKind[];

const SECRETARY_DUTIES = DUTY_KINDS.filter((kind) => DUTY_RULES[kind].post !== 'STREET_LIAISON');
const LIAISON_DUTIES = DUTY_KINDS.filter((kind) => DUTY_RULES[kind].post === 'STREET_LIAISON');

/**
 * The duties SECRETARY posts owe, as a SQL relation `(duty, cadence, post_kind)` (post_kind = `party_org.kind`), for
 * set-based statements. Values are constants.
 */
export const DUTY_RULES_SQL = `(VALUES ${SECRETARY_DUTIES.map((kind) => `('${kind}', '${DUTY_RULES[kind].cadence}', '${DUTY_RULES[kind].post}')`).join(', ')})
  AS duty_rule (duty, cadence, post_kind)`;

/** The duties street liaison leaders owe, as a SQL relation `(duty, cadence)`. */
export const LIAISON_RULES_SQL = `(VALUES ${LIAISON_DUTIES.map((kind) => `('${kind}', '${DUTY_RULES[kind].cadence}')`).join(', ')})
  AS liaison_rule (duty, cadence)`;

export const DUTY_KIND_LABEL_ZH = Object.fromEntries(DUTY_KINDS.map((kind) => [kind, DUTY_RULES[kind].labelZh])) as Record<
  DutyKind,
  string
>;

export enum DutyPeriodStatus {
  MET = 'MET',
  MISSED = 'MISSED',
}

export const DUTY_PERIOD_STATUS_LABEL_ZH: Record<DutyPeriodStatus, string> = {
  [DutyPeriodStatus.MET]: '已履职',
  [DutyPeriodStatus.MISSED]: '未履职',
};

registerEnumType(DutyKind, {
  name: 'DutyKind',
  description: '履职事项: the duties that follow from secretary posts',
  valuesMap: describedValues(DUTY_KIND_LABEL_ZH),
});
registerEnumType(DutyCadence, {
  name: 'DutyCadence',
  description: 'How often a duty is owed (履职频次): daily, monthly or quarterly.',
  valuesMap: describedValues(DUTY_CADENCE_LABEL_ZH),
});
registerEnumType(DutyPeriodStatus, {
  name: 'DutyPeriodStatus',
  description: 'Whether a closed duty period was met (a log inside it) or missed.',
  valuesMap: describedValues(DUTY_PERIOD_STATUS_LABEL_ZH),
});
