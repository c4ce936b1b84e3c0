import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { type Caller, Permission, hasPermission } from '#libs/auth';
import { Connection } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { maskName, maskPhone } from '#libs/privacy';
import { PARTY_ORG_KIND_LABEL_ZH, PartyOrgKind, REGISTRATION_KIND_LABEL_ZH, RegistrationKind } from './party-org-kind.js';

/** A party_org row with the path of the territory unit it answers to (its own unit, or its institution's). */
export interface PartyOrgRow {
  id: string;
  kind: PartyOrgKind;
  name: string;
  parentId: string | null;
  path: string[];
  orgUnitId: string | null;
  institutionId: string | null;
  createdAt: Date;
  /** Path of the org unit the organisation is tied to (for a work-unit or department one: its institution's unit). */
  scopePath: string[];
}

export interface PartyMemberRow {
  id: string;
  name: string;
  phone: string | null;
  userId: string | null;
  householdId: string | null;
  institutionId: string | null;
  communityId: string | null;
  joinedPartyOn: string | null;
  commitmentSignedAt: Date | null;
  createdAt: Date;
  /** The member's community's path; null without a community. */
  scopePath: string[] | null;
}

export interface BranchRegistrationRow {
  id: string;
  partyMemberId: string;
  branchId: string;
  kind: RegistrationKind;
  registeredAt: Date;
  confirmedAt: Date | null;
  endedAt: Date | null;
}

export interface SecretaryPostRow {
  id: string;
  partyOrgId: string;
  partyMemberId: string;
  startsOn: string;
  endsOn: string | null;
}

@ObjectType('PartyOrg', { description: 'A party organisation (党组织): the district committee, a committee or a branch.' })
@Directive('@key(fields: "id")')
export class PartyOrg {
  @Field(() => ID, { description: 'Stable id of the party organisation.' })
  id: string;

  @Field(() => PartyOrgKind, { description: 'Its kind and level.' })
  kind: PartyOrgKind;

  @Field({ description: 'The Chinese term for this kind of organisation, e.g. 小区支部.' })
  labelZh: string;

  @Field({ description: 'Its name.' })
  name: string;

  @Field({ description: 'When it was created (ISO 8601 timestamp).' })
  createdAt: Date;

  parentId: string | null;
  path: string[];
  orgUnitId: string | null;
  institutionId: string | null;
  scopePath: string[];

  static from(row: PartyOrgRow): PartyOrg {
    return Object.assign(new PartyOrg(), { ...row, labelZh: PARTY_ORG_KIND_LABEL_ZH[row.kind] });
  }
}

@ObjectType({
  description: 'A page of PartyOrg items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class PartyOrgConnection extends Connection(PartyOrg, 'PartyOrg') {}

@ObjectType('PartyMember', { description: 'A party member (党员). Name and phone are masked unless you may read personal data.' })
@Directive('@key(fields: "id")')
export class PartyMember {
  @Field(() => ID, { description: 'Stable id of the member.' })
  id: string;

  @Field({ description: '党员' })
  labelZh: string;

  @Field({ description: 'Masked (张*明) unless you may read personal data or it is your own record.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Masked (138****5678) unless you may read personal data or it is your own record.' })
  phone: string | null;

  @Field({ description: 'True when name and phone are masked.' })
  personalDataMasked: boolean;

  @Field(() => ID, { nullable: true, description: "The member's household in households (photo check-ins, grades)." })
  householdId: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The day they joined the party, if known.' })
  joinedPartyOn: string | null;

  @Field(() => Date, { nullable: true, description: 'When the member signed the commitment letter (承诺书).' })
  commitmentSignedAt: Date | null;

  @Field({ description: 'When they were registered (ISO 8601 timestamp).' })
  createdAt: Date;

  userId: string | null;
  institutionId: string | null;
  communityId: string | null;
  scopePath: string[] | null;

  /** The member as `caller` may see them: names and phones masked without PERSONAL_DATA_READ, except one's own. */
  static present(caller: Caller, row: PartyMemberRow): PartyMember {
    const unmasked = hasPermission(caller, Permission.PERSONAL_DATA_READ) || (row.userId !== null && row.userId === caller.userId);
    return Object.assign(new PartyMember(), {
      ...row,
      labelZh: '党员',
      name: unmasked ? row.name : maskName(row.name),
      phone: row.phone === null ? null : unmasked ? row.phone : maskPhone(row.phone),
      personalDataMasked: !unmasked,
    });
  }
}

@ObjectType({
  description:
    'A page of PartyMember items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class PartyMemberConnection extends Connection(PartyMember, 'PartyMember') {}

@ObjectType('BranchRegistration', { description: "A member's registration with a branch (报到), confirmed by that branch." })
export class BranchRegistration {
  @Field(() => ID, { description: 'Stable id of the registration.' })
  id: string;

  @Field(() => RegistrationKind, { description: 'Work-unit (单位报到) or community (社区报到) registration.' })
  kind: RegistrationKind;

  @Field({ description: 'The Chinese term: 单位报到 or 社区报到.' })
  labelZh: string;

  @Field(() => ID, { description: 'The member registered.' })
  partyMemberId: string;

  @Field({ description: 'When the member registered (ISO 8601 timestamp).' })
  registeredAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the branch confirmed it.' })
  confirmedAt: Date | null;

  @Field({ description: 'True once the branch confirmed it.' })
  confirmed: boolean;

  @Field(() => Date, { nullable: true, description: 'Set when the member moved on (no longer registered here).' })
  endedAt: Date | null;

  branchId: string;

  static from(row: BranchRegistrationRow): BranchRegistration {
    return Object.assign(new BranchRegistration(), {
      ...row,
      labelZh: REGISTRATION_KIND_LABEL_ZH[row.kind],
      confirmed: row.confirmedAt !== null,
    });
  }
}

@ObjectType('DualRegistration', { description: 'Dual registration (双报到): one work-unit and one community branch, each confirming.' })
export class DualRegistration {
  @Field({ description: '双报到' })
  labelZh: string;

  @Field(() => BranchRegistration, { nullable: true, description: 'The open registration with a work-unit branch (单位支部).' })
  workUnit: BranchRegistration | null;

  @Field(() => BranchRegistration, { nullable: true, description: 'The open registration with a community or compound branch.' })
  community: BranchRegistration | null;

  @Field({ description: 'Both registrations exist and both branches have confirmed.' })
  complete: boolean;
}

@ObjectType('SecretaryPost', { description: 'A term as secretary (书记) of a party organisation.' })
export class SecretaryPost {
  @Field(() => ID, { description: 'Stable id of the post.' })
  id: string;

  @Field({ description: '书记' })
  labelZh: string;

  @Field(() => ID, { description: 'The party organisation.' })
  partyOrgId: string;

  @Field(() => LocalDateScalar, { description: 'First day of the term (Asia/Shanghai).' })
  startsOn: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day of the term; null while it lasts.' })
  endsOn: string | null;

  partyMemberId: string;

  static from(row: SecretaryPostRow): SecretaryPost {
    return Object.assign(new SecretaryPost(), { ...row, labelZh: '书记' });
  }
}

@ObjectType({
  description:
    'A page of SecretaryPost items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class SecretaryPostConnection extends Connection(SecretaryPost, 'SecretaryPost') {}
