/** Staff roles carried in the JWT `roles` claim. */
export enum Role {
  DISTRICT_ADMIN = 'DISTRICT_ADMIN',
  STREET_ADMIN = 'STREET_ADMIN',
  COMMUNITY_SECRETARY = 'COMMUNITY_SECRETARY',
  INSPECTOR = 'INSPECTOR',
  BUREAU_OFFICER = 'BUREAU_OFFICER',
}

export const ROLE_LABEL_ZH: Record<Role, string> = {
  [Role.DISTRICT_ADMIN]: '区级管理员',
  [Role.STREET_ADMIN]: '镇街管理员',
  [Role.COMMUNITY_SECRETARY]: '社区书记',
  [Role.INSPECTOR]: '检查员',
  [Role.BUREAU_OFFICER]: '执法部门人员',
};

/** What a role may do. Checked in every resolver; scope (which part of the territory) is checked separately. */
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
}

const P = Permission;
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  [Role.DISTRICT_ADMIN]: [P.TERRITORY_READ, P.TERRITORY_MANAGE, P.INSTITUTION_READ, P.HOUSEHOLD_READ, P.CAMPAIGN_READ, P.CAMPAIGN_MANAGE, P.NOTICE_TEMPLATE_READ],
  [Role.STREET_ADMIN]: [P.TERRITORY_READ, P.TERRITORY_MANAGE, P.INSTITUTION_READ, P.HOUSEHOLD_READ, P.CAMPAIGN_READ, P.CAMPAIGN_MANAGE, P.NOTICE_TEMPLATE_READ],
  [Role.COMMUNITY_SECRETARY]: [P.TERRITORY_READ, P.INSTITUTION_READ, P.HOUSEHOLD_READ, P.PERSONAL_DATA_READ, P.CAMPAIGN_READ],
  [Role.INSPECTOR]: [P.TERRITORY_READ, P.HOUSEHOLD_READ, P.PERSONAL_DATA_READ],
  [Role.BUREAU_OFFICER]: [P.TERRITORY_READ, P.INSTITUTION_READ, P.CAMPAIGN_READ],
};

/** Roles that act for the whole district and may therefore carry no org unit. Every other role is scoped. */
export const DISTRICT_WIDE_ROLES: readonly Role[] = [Role.DISTRICT_ADMIN, Role.BUREAU_OFFICER];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.values(Role).includes(value as Role);
}
