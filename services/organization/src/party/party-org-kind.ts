import { registerEnumType } from '@nestjs/graphql';
import { describedValues } from '#libs/platform';

/** Kinds of party organisation (党组织) in the "1 + 3 + N" structure, top down. */
export enum PartyOrgKind {
  DISTRICT_COMMITTEE = 'DISTRICT_COMMITTEE',
  STREET_COMMITTEE = 'STREET_COMMITTEE',
  DEPARTMENT_COMMITTEE = 'DEPARTMENT_COMMITTEE',
  COMMUNITY_COMMITTEE = 'COMMUNITY_COMMITTEE',
  COMMUNITY_BRANCH = 'COMMUNITY_BRANCH',
  COMPOUND_BRANCH = 'COMPOUND_BRANCH',
  WORK_UNIT_BRANCH = 'WORK_UNIT_BRANCH',
}

export const PARTY_ORG_KIND_LABEL_ZH: Record<PartyOrgKind, string> = {
  [PartyOrgKind.DISTRICT_COMMITTEE]: '区委',
  [PartyOrgKind.STREET_COMMITTEE]: '镇街党委',
  [PartyOrgKind.DEPARTMENT_COMMITTEE]: '机关职能部门党委',
  [PartyOrgKind.COMMUNITY_COMMITTEE]: '社区党委',
  [PartyOrgKind.COMMUNITY_BRANCH]: '社区支部',
  [PartyOrgKind.COMPOUND_BRANCH]: '小区支部',
  [PartyOrgKind.WORK_UNIT_BRANCH]: '单位支部',
};

/**
 * Which kinds may sit directly under which: the service checks it with a clear message, and the `party_org`
 * trigger (migration 104) refuses anything else with SQLSTATE 23514. The district committee is the root.
 */
export const PARTY_ORG_PARENT_KINDS: Record<PartyOrgKind, readonly PartyOrgKind[]> = {
  [PartyOrgKind.DISTRICT_COMMITTEE]: [],
  [PartyOrgKind.STREET_COMMITTEE]: [PartyOrgKind.DISTRICT_COMMITTEE],
  [PartyOrgKind.DEPARTMENT_COMMITTEE]: [PartyOrgKind.DISTRICT_COMMITTEE],
  [PartyOrgKind.COMMUNITY_COMMITTEE]: [PartyOrgKind.STREET_COMMITTEE],
  [PartyOrgKind.COMMUNITY_BRANCH]: [PartyOrgKind.COMMUNITY_COMMITTEE],
  [PartyOrgKind.COMPOUND_BRANCH]: [PartyOrgKind.COMMUNITY_COMMITTEE],
  [PartyOrgKind.WORK_UNIT_BRANCH]: [PartyOrgKind.DEPARTMENT_COMMITTEE, PartyOrgKind.STREET_COMMITTEE],
};

/** The org unit kind a territorial organisation is tied to; null for those tied to an institution. */
export const PARTY_ORG_UNIT_KIND: Record<PartyOrgKind, string | null> = {
  [PartyOrgKind.DISTRICT_COMMITTEE]: 'DISTRICT',
  [PartyOrgKind.STREET_COMMITTEE]: 'STREET',
  [PartyOrgKind.DEPARTMENT_COMMITTEE]: null,
  [PartyOrgKind.COMMUNITY_COMMITTEE]: 'COMMUNITY',
  [PartyOrgKind.COMMUNITY_BRANCH]: 'COMMUNITY',
  [PartyOrgKind.COMPOUND_BRANCH]: 'COMPOUND',
  [PartyOrgKind.WORK_UNIT_BRANCH]: null,
};

/** Branches members register with (双报到), and the registration kind each takes. */
export enum RegistrationKind {
  WORK_UNIT = 'WORK_UNIT',
  COMMUNITY = 'COMMUNITY',
}

export const REGISTRATION_KIND_LABEL_ZH: Record<RegistrationKind, string> = {
  [RegistrationKind.WORK_UNIT]: '单位报到',
  [RegistrationKind.COMMUNITY]: '社区报到',
};

export function registrationKindOf(branchKind: PartyOrgKind): RegistrationKind | null {
  if (branchKind === PartyOrgKind.WORK_UNIT_BRANCH) return RegistrationKind.WORK_UNIT;
  if (branchKind === PartyOrgKind.COMMUNITY_BRANCH || branchKind === PartyOrgKind.COMPOUND_BRANCH) return RegistrationKind.COMMUNITY;
  return null;
}

registerEnumType(PartyOrgKind, {
  name: 'PartyOrgKind',
  description:
    'The level and kind of a party organisation (district committee, street committee, branch, …); each value carries its Chinese name.',
  valuesMap: describedValues(PARTY_ORG_KIND_LABEL_ZH),
});
registerEnumType(RegistrationKind, {
  name: 'BranchRegistrationKind',
  description:
    'Which half of dual registration (双报到) a branch registration is: at the work unit (单位报到) or in the community (社区报到).',
  valuesMap: describedValues(REGISTRATION_KIND_LABEL_ZH),
});
