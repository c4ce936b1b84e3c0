/** Roles carried in the JWT `roles` claim: staff, party members and volunteers on their phones, and residents. */
export enum Role {
  DISTRICT_ADMIN = 'DISTRICT_ADMIN',
  STREET_ADMIN = 'STREET_ADMIN',
  COMMUNITY_SECRETARY = 'COMMUNITY_SECRETARY',
  INSPECTOR = 'INSPECTOR',
  BUREAU_OFFICER = 'BUREAU_OFFICER',
  /** Secretary of a work-unit party branch (单位支部): reviews its members' photo check-ins. */
  BRANCH_SECRETARY = 'BRANCH_SECRETARY',
  PARTY_MEMBER = 'PARTY_MEMBER',
  VOLUNTEER = 'VOLUNTEER',
  /** A resident signed in through a resident app; the token names their household. */
  RESIDENT = 'RESIDENT',
  /**
   * Staff of a property company (物业公司): the token names the company (`institutionId`) and no org unit. Their reach
   * is the compounds the company manages and the company's own cases and assessment, never a territory.
   */
  PROPERTY_MANAGER = 'PROPERTY_MANAGER',
  /** An employer, school or other institution calling with its API key (never a JWT). */
  INSTITUTION = 'INSTITUTION',
  /**
   * A platform operator (运维人员): runs the platform's queues (the queue dashboard) and reads its audit. Reaches no
   * territory and no resident's data anywhere: the token carries the role alone, with no org unit.
   */
  OPERATOR = 'OPERATOR',
}

export const ROLE_LABEL_ZH: Record<Role, string> = {
  [Role.DISTRICT_ADMIN]: '区级管理员',
  [Role.STREET_ADMIN]: '镇街管理员',
  [Role.COMMUNITY_SECRETARY]: '社区书记',
  [Role.INSPECTOR]: '检查员',
  [Role.BUREAU_OFFICER]: '执法部门人员',
  [Role.BRANCH_SECRETARY]: '单位支部书记',
  [Role.PARTY_MEMBER]: '党员',
  [Role.VOLUNTEER]: '志愿者',
  [Role.RESIDENT]: '居民',
  [Role.PROPERTY_MANAGER]: '物业管理人员',
  [Role.INSTITUTION]: '单位/学校（API）',
  [Role.OPERATOR]: '运维人员',
};

/** What a role may do. Each service's access policies say which permission each operation needs (see access-policy.ts). */
export enum Permission {
  TERRITORY_READ = 'TERRITORY_READ',
  TERRITORY_MANAGE = 'TERRITORY_MANAGE',
  INSTITUTION_READ = 'INSTITUTION_READ',
  HOUSEHOLD_READ = 'HOUSEHOLD_READ',
  /** Exact addresses, names and phone numbers: only roles that visit households need them. */
  PERSONAL_DATA_READ = 'PERSONAL_DATA_READ',
  CAMPAIGN_READ = 'CAMPAIGN_READ',
  CAMPAIGN_MANAGE = 'CAMPAIGN_MANAGE',
  NOTICE_TEMPLATE_READ = 'NOTICE_TEMPLATE_READ',
  /** Register households and residents, record commitment letters. */
  REGISTRY_MANAGE = 'REGISTRY_MANAGE',
  INSPECTION_RECORD = 'INSPECTION_RECORD',
  UPLOAD_CREATE = 'UPLOAD_CREATE',
  /** Grades, their reasons and evaluation runs (a resident: only their own household's). */
  EVALUATION_READ = 'EVALUATION_READ',
  /** A resident: their own household's record and commitment letters, and the notices written about it. */
  OWN_HOUSEHOLD_READ = 'OWN_HOUSEHOLD_READ',
  /** A resident: sign their own household's commitment letter in the app. */
  COMMITMENT_LETTER_SIGN = 'COMMITMENT_LETTER_SIGN',
  /** A resident: object, once a month and within the objection window, to their own household's grade. */
  GRADE_OBJECTION_FILE = 'GRADE_OBJECTION_FILE',
  /** Uphold or correct the grade a resident of the caller's territory objected to. */
  GRADE_OBJECTION_DECIDE = 'GRADE_OBJECTION_DECIDE',
  EVALUATION_RUN = 'EVALUATION_RUN',
  GRADING_RULES_MANAGE = 'GRADING_RULES_MANAGE',
  STATS_READ = 'STATS_READ',
  CHECK_IN_SUBMIT = 'CHECK_IN_SUBMIT',
  CHECK_IN_REVIEW = 'CHECK_IN_REVIEW',
  /** Claim households of the lower tiers and record follow-up visits (党员认领, 骨干包干). */
  OUTREACH = 'OUTREACH',
  OUTREACH_PLAN_MANAGE = 'OUTREACH_PLAN_MANAGE',
  COLLECTION_POINT_MANAGE = 'COLLECTION_POINT_MANAGE',
  /** Record collected weights (收运记录) and import transfer stations' CSV files, inside the caller's territory. */
  COLLECTION_RECORD_MANAGE = 'COLLECTION_RECORD_MANAGE',
  COLLECTION_REQUEST_CREATE = 'COLLECTION_REQUEST_CREATE',
  COLLECTION_REQUEST_HANDLE = 'COLLECTION_REQUEST_HANDLE',
  /** Every notice of the district, and their statistics. */
  NOTICE_READ = 'NOTICE_READ',
  /** An institution's own notices, webhooks and deliveries (scope: its institution id). */
  INSTITUTION_SELF_SERVICE = 'INSTITUTION_SELF_SERVICE',
  API_KEY_MANAGE = 'API_KEY_MANAGE',
  NOTICE_RULES_MANAGE = 'NOTICE_RULES_MANAGE',
  DISCLOSURE_PREPARE = 'DISCLOSURE_PREPARE',
  DISCLOSURE_APPROVE = 'DISCLOSURE_APPROVE',
  /** Vanguard index (锋领指数), rankings and unit annual assessments (a party member: only their own index). */
  VANGUARD_READ = 'VANGUARD_READ',
  /** Compute the vanguard index on demand and publish new versions of its formula. */
  VANGUARD_MANAGE = 'VANGUARD_MANAGE',
  /** Volunteer teams and activities of the caller's territory: create, publish, complete, cancel, approve hours. */
  VOLUNTEER_MANAGE = 'VOLUNTEER_MANAGE',
  /** Register as a volunteer, join a team, sign up for activities and check in. */
  VOLUNTEER_SIGN_UP = 'VOLUNTEER_SIGN_UP',
  /** Party organisations, members and their registrations (a party member: their own record). */
  PARTY_READ = 'PARTY_READ',
  /** Create party organisations and members, appoint secretaries, register and confirm members with branches. */
  PARTY_MANAGE = 'PARTY_MANAGE',
  /** Leaders of the four leadership bodies and the streets they liaise with. */
  LEADER_MANAGE = 'LEADER_MANAGE',
  /** Record one's own duty logs (每日巡查, 每月上门讲解, 每月督查) from a phone: the post decides which duties one owes. */
  DUTY_LOG_RECORD = 'DUTY_LOG_RECORD',
  /** Duty periods, escalations and compliance rates of the caller's territory. */
  DUTY_READ = 'DUTY_READ',
  /** Schedule, reschedule and cancel joint actions and record their findings (a bureau officer: for their own bureau). */
  JOINT_ACTION_SCHEDULE = 'JOINT_ACTION_SCHEDULE',
  /** Bureaus' remits (which units each may act in), their enforcement teams and officers. */
  BUREAU_MANAGE = 'BUREAU_MANAGE',
  /** Enforcement cases, their history, property companies' assessments and the credit/points exports. */
  CASE_READ = 'CASE_READ',
  /** Open cases, issue rectification notices, record follow-ups, penalise, record and decide appeals. */
  CASE_MANAGE = 'CASE_MANAGE',
  /** Record or replace a compound's named person responsible for sorting (物业垃圾分类管理责任人), and read them in clear. */
  PROPERTY_RESPONSIBLE_MANAGE = 'PROPERTY_RESPONSIBLE_MANAGE',
  /** A property manager's own company: its cases and its monthly assessment (scope: the company named in the token). */
  PROPERTY_COMPANY_SELF_SERVICE = 'PROPERTY_COMPANY_SELF_SERVICE',
  /** Publish a street's versions of the property-company assessment rules (物业管理考核办法): the weights of the score. */
  PROPERTY_ASSESSMENT_RULES_MANAGE = 'PROPERTY_ASSESSMENT_RULES_MANAGE',
  /** Submit a citizen report (随手拍, 市民观察团; staff also take hotline calls) and follow one's own reports. */
  REPORT_SUBMIT = 'REPORT_SUBMIT',
  /** Read, triage, assign, work on and close the citizen reports of the caller's territory. */
  REPORT_HANDLE = 'REPORT_HANDLE',
  /** The citizen observer group (市民观察团) of the caller's territory: its teams, who serves in them and for which term. */
  OBSERVER_MANAGE = 'OBSERVER_MANAGE',
  /** Retry, remove, promote, clean, pause and resume the platform's queue jobs through the queue dashboard. */
  QUEUE_OPERATE = 'QUEUE_OPERATE',
  /** Read the audit of what was done through the queue dashboard (who, what, which queue and jobs, outcome). */
  QUEUE_AUDIT_READ = 'QUEUE_AUDIT_READ',
  /**
   * Follow the month's pipeline as operations staff: the evaluation runs and `districtMonth` (stage, blockers, counts,
   * the institutions notices wait for). Figures and ids only, nothing about a person.
   */
  MONTH_STATUS_READ = 'MONTH_STATUS_READ',
}

const P = Permission;
/** Reading what the platform knows about sorting, as every staff console does. */
const CONSOLE = [
  P.TERRITORY_READ,
  P.INSTITUTION_READ,
  P.HOUSEHOLD_READ,
  P.EVALUATION_READ,
  P.STATS_READ,
  P.CAMPAIGN_READ,
  P.NOTICE_TEMPLATE_READ,
  P.NOTICE_READ,
  P.DUTY_READ,
  P.VANGUARD_READ,
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  [Role.DISTRICT_ADMIN]: [
    ...CONSOLE,
    P.TERRITORY_MANAGE,
    P.CAMPAIGN_MANAGE,
    P.EVALUATION_RUN,
    P.GRADING_RULES_MANAGE,
    P.OUTREACH_PLAN_MANAGE,
    P.COLLECTION_POINT_MANAGE,
    P.COLLECTION_RECORD_MANAGE,
    P.API_KEY_MANAGE,
    P.NOTICE_RULES_MANAGE,
    P.DISCLOSURE_PREPARE,
    P.DISCLOSURE_APPROVE,
    P.VOLUNTEER_MANAGE,
    P.PARTY_READ,
    P.PARTY_MANAGE,
    P.LEADER_MANAGE,
    P.VANGUARD_MANAGE,
    P.CASE_READ,
    P.CASE_MANAGE,
    P.PROPERTY_ASSESSMENT_RULES_MANAGE,
    P.JOINT_ACTION_SCHEDULE,
    P.BUREAU_MANAGE,
  ],
  [Role.STREET_ADMIN]: [
    ...CONSOLE,
    P.TERRITORY_MANAGE,
    P.CAMPAIGN_MANAGE,
    P.EVALUATION_RUN,
    P.COLLECTION_POINT_MANAGE,
    P.COLLECTION_RECORD_MANAGE,
    P.DISCLOSURE_PREPARE,
    P.VOLUNTEER_MANAGE,
    P.PARTY_READ,
    P.PARTY_MANAGE,
    P.DUTY_LOG_RECORD,
    P.CASE_READ,
    P.CASE_MANAGE,
    P.PROPERTY_ASSESSMENT_RULES_MANAGE,
    P.JOINT_ACTION_SCHEDULE,
  ],
  [Role.COMMUNITY_SECRETARY]: [
    ...CONSOLE,
    P.PERSONAL_DATA_READ,
    P.REGISTRY_MANAGE,
    P.INSPECTION_RECORD,
    P.UPLOAD_CREATE,
    P.CHECK_IN_REVIEW,
    P.OUTREACH,
    P.COLLECTION_POINT_MANAGE,
    P.COLLECTION_RECORD_MANAGE,
    P.COLLECTION_REQUEST_CREATE,
    P.COLLECTION_REQUEST_HANDLE,
    P.PROPERTY_RESPONSIBLE_MANAGE,
    P.VOLUNTEER_MANAGE,
    P.PARTY_READ,
    P.PARTY_MANAGE,
    P.DUTY_LOG_RECORD,
    P.CASE_READ,
    P.GRADE_OBJECTION_DECIDE,
  ],
  [Role.INSPECTOR]: [P.TERRITORY_READ, P.HOUSEHOLD_READ, P.PERSONAL_DATA_READ, P.EVALUATION_READ, P.INSPECTION_RECORD, P.UPLOAD_CREATE],
  [Role.BUREAU_OFFICER]: [
    P.TERRITORY_READ,
    P.INSTITUTION_READ,
    P.CAMPAIGN_READ,
    P.STATS_READ,
    P.CASE_READ,
    P.CASE_MANAGE,
    P.JOINT_ACTION_SCHEDULE,
  ],
  [Role.BRANCH_SECRETARY]: [P.TERRITORY_READ, P.CHECK_IN_REVIEW, P.PARTY_READ],
  [Role.PARTY_MEMBER]: [
    P.TERRITORY_READ,
    P.HOUSEHOLD_READ,
    P.EVALUATION_READ,
    P.CHECK_IN_SUBMIT,
    P.UPLOAD_CREATE,
    P.OUTREACH,
    P.VOLUNTEER_SIGN_UP,
    P.PARTY_READ,
    P.DUTY_LOG_RECORD,
    P.VANGUARD_READ,
  ],
  [Role.VOLUNTEER]: [
    P.TERRITORY_READ,
    P.HOUSEHOLD_READ,
    P.EVALUATION_READ,
    P.INSPECTION_RECORD,
    P.UPLOAD_CREATE,
    P.OUTREACH,
    P.VOLUNTEER_SIGN_UP,
  ],
  // TERRITORY_READ: a resident sees the units their own household belongs to (its compound, community, street).
  [Role.RESIDENT]: [
    P.TERRITORY_READ,
    P.EVALUATION_READ,
    P.COLLECTION_REQUEST_CREATE,
    P.UPLOAD_CREATE,
    P.VOLUNTEER_SIGN_UP,
    P.OWN_HOUSEHOLD_READ,
    P.COMMITMENT_LETTER_SIGN,
    P.GRADE_OBJECTION_FILE,
  ],
  [Role.INSTITUTION]: [P.INSTITUTION_SELF_SERVICE],
  // Door-to-door requests addressed to the company (its compounds), their compounds' responsible persons, its own cases
  // and assessment. No territory permission: the token carries no org unit, and territory checks refuse it.
  [Role.PROPERTY_MANAGER]: [P.COLLECTION_REQUEST_HANDLE, P.PROPERTY_RESPONSIBLE_MANAGE, P.PROPERTY_COMPANY_SELF_SERVICE],
  // The platform's machinery, never its data: no territory, household, notice or personal-data permission at all.
  [Role.OPERATOR]: [P.QUEUE_OPERATE, P.QUEUE_AUDIT_READ, P.MONTH_STATUS_READ],
};

/** Citizen reports: granted here, beside the table, so the reporting grants read as one block. */
const REPORT_GRANTS: [Permission, Role[]][] = [
  [
    P.REPORT_SUBMIT,
    [
      Role.RESIDENT,
      Role.VOLUNTEER,
      Role.PARTY_MEMBER,
      Role.INSPECTOR,
      Role.COMMUNITY_SECRETARY,
      Role.STREET_ADMIN,
      Role.DISTRICT_ADMIN,
      Role.BUREAU_OFFICER,
    ],
  ],
  [P.REPORT_HANDLE, [Role.COMMUNITY_SECRETARY, Role.STREET_ADMIN, Role.DISTRICT_ADMIN, Role.BUREAU_OFFICER]],
  // Observers are recruited and organised by street (镇街): street and district staff keep the roster.
  [P.OBSERVER_MANAGE, [Role.STREET_ADMIN, Role.DISTRICT_ADMIN]],
];
for (const [permission, roles] of REPORT_GRANTS) for (const role of roles) (ROLE_PERMISSIONS[role] as Permission[]).push(permission);

/**
 * Evidence is only ever the photos its author uploaded, so the roles that open cases and record joint-action findings
 * upload their own (and read, through GET /uploads, the photos of the cases and findings of their territory).
 */
for (const role of [Role.BUREAU_OFFICER, Role.STREET_ADMIN, Role.DISTRICT_ADMIN])
  (ROLE_PERMISSIONS[role] as Permission[]).push(P.UPLOAD_CREATE);

/** The district's administrators oversee the operators: they read the queue audit, but do not operate the queues. */
(ROLE_PERMISSIONS[Role.DISTRICT_ADMIN] as Permission[]).push(P.QUEUE_AUDIT_READ);

/**
 * Roles that act for the whole district and may therefore carry no org unit. A work-unit branch secretary's
 * members live anywhere, so their reach is their branch (checked where branches are), not a territory.
 * Every other role is scoped to an org unit. An institution (API key) has no org unit but is not district-wide: it
 * reaches only its own notices, webhooks and reports, so territory checks refuse it.
 */
export const DISTRICT_WIDE_ROLES: readonly Role[] = [Role.DISTRICT_ADMIN, Role.BUREAU_OFFICER, Role.BRANCH_SECRETARY];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.values(Role).includes(value as Role);
}
