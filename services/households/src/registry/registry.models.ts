import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { LocalDateScalar } from '#libs/platform';
import { InstitutionRef } from '#libs/references';
import { Tenure } from '../households/tenure.js';
import { shanghaiDate } from '#libs/calendar';
import { BirthDatePrecision, isMinorOn } from '#libs/privacy';
import { DisclosureBasis, OCCUPATION_LABEL_ZH, Occupation } from './registry-enums.js';
import { maskName, maskPhone } from '#libs/privacy';
import type { CommitmentLetterRow, ResidentRow } from './resident.entity.js';

@ObjectType('GuardianConsent', { description: "监护人同意: a guardian agrees that the school may be told the household's monthly grade." })
export class GuardianConsent {
  @Field({ description: 'e.g. 张*明 when masked.' })
  guardianName: string;

  @Field({ description: 'e.g. 父亲, 母亲, 祖母.' })
  guardianRelation: string;

  @Field(() => String, { nullable: true, description: 'e.g. 138****5678 when masked.' })
  guardianPhone: string | null;

  @Field({ description: 'When the consent was recorded (ISO 8601 timestamp).' })
  recordedAt: Date;

  @Field({ description: 'The staff member who recorded it.' })
  recordedBy: string;

  static from(entity: ResidentRow, personalData: boolean): GuardianConsent | null {
    if (entity.guardianName === null || entity.guardianConsentRecordedAt === null) return null;
    return Object.assign(new GuardianConsent(), {
      guardianName: personalData ? entity.guardianName : maskName(entity.guardianName),
      guardianRelation: entity.guardianRelation ?? '',
      guardianPhone: entity.guardianPhone === null ? null : personalData ? entity.guardianPhone : maskPhone(entity.guardianPhone),
      recordedAt: entity.guardianConsentRecordedAt,
      recordedBy: entity.guardianConsentRecordedBy ?? '',
    });
  }
}

@ObjectType('Resident', {
  description:
    "A person of a household. Name, phone, birth date and the guardian's name and phone are masked unless your role reads personal data.",
})
export class Resident {
  @Field(() => ID, { description: 'Stable id of the resident.' })
  id: string;

  @Field({ description: '居民' })
  labelZh: string;

  @Field({ description: 'e.g. 张*明 when masked.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'e.g. 138****5678 when masked.' })
  phone: string | null;

  @Field(() => Occupation, { description: 'What the resident does; decides where notices about the household go.' })
  occupation: Occupation;

  @Field({ description: 'The Chinese name of occupation.' })
  occupationLabelZh: string;

  @Field(() => InstitutionRef, { nullable: true, description: 'Employer (EMPLOYED) or school (STUDENT).' })
  institution: InstitutionRef | null;

  @Field(() => ID, { nullable: true, description: 'The party member this resident is, when one.' })
  partyMemberId: string | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'Null when masked (personal data, like the name). Known to birthDatePrecision.',
  })
  birthDate: string | null;

  @Field(() => BirthDatePrecision, { description: 'How precisely the birth date is known: DAY, MONTH or YEAR.' })
  birthDatePrecision: BirthDatePrecision;

  @Field({
    description: 'Under 18 today (a date known only to the month or year counts from its last day): never named in notices or disclosures.',
  })
  minor: boolean;

  @Field(() => GuardianConsent, {
    nullable: true,
    description: "A guardian's consent to notices about this minor to their school; null when none is on record.",
  })
  guardianConsent: GuardianConsent | null;

  @Field(() => DisclosureBasis, { description: "Ground for disclosing the household's grade publicly; NONE keeps the resident out." })
  disclosureBasis: DisclosureBasis;

  @Field({ description: 'True when name, phone and birth date are masked for you.' })
  personalDataMasked: boolean;

  householdId: string;

  /**
   * `personalData`: the caller's role reads personal data. `ownHousehold`: a resident reading their own household,
   * who sees its members' names and phones (their own record), but birth dates and guardians only as others do.
   */
  static from(entity: ResidentRow, personalData: boolean, ownHousehold = false): Resident {
    const clear = personalData || ownHousehold;
    return Object.assign(new Resident(), {
      id: entity.id,
      labelZh: '居民',
      name: clear ? entity.name : maskName(entity.name),
      phone: entity.phone === null ? null : clear ? entity.phone : maskPhone(entity.phone),
      occupation: entity.occupation,
      occupationLabelZh: OCCUPATION_LABEL_ZH[entity.occupation],
      institution: entity.institutionId ? InstitutionRef.of(entity.institutionId) : null,
      partyMemberId: entity.partyMemberId,
      birthDate: personalData ? entity.birthDate : null,
      birthDatePrecision: entity.birthDatePrecision,
      minor: isMinorOn(entity.birthDate, entity.birthDatePrecision, shanghaiDate()),
      guardianConsent: GuardianConsent.from(entity, personalData),
      disclosureBasis: entity.disclosureBasis,
      personalDataMasked: !clear,
      householdId: entity.householdId,
    });
  }
}

@ObjectType('CommitmentLetter', { description: '垃圾分类承诺书: a household promises to sort its waste.' })
export class CommitmentLetter {
  @Field(() => ID, { description: 'Stable id of the letter.' })
  id: string;

  @Field({ description: '承诺书' })
  labelZh: string;

  @Field(() => LocalDateScalar, { description: 'The day the letter was signed (Asia/Shanghai).' })
  signedOn: string;

  @Field(() => ID, { description: 'The resident who signed (see Household.residents).' })
  signerResidentId: string;

  @Field(() => ID, { nullable: true, description: 'Photo of the signed letter (GET /uploads/{id}).' })
  photoId: string | null;

  @Field({ description: 'When it was recorded (ISO 8601 timestamp).' })
  createdAt: Date;

  householdId: string;

  static from(entity: CommitmentLetterRow): CommitmentLetter {
    return Object.assign(new CommitmentLetter(), { ...entity, labelZh: '承诺书' });
  }
}

@InputType({ description: 'A household to register at a flat of a compound.' })
export class RegisterHouseholdInput {
  @Field(() => ID, { description: 'A COMPOUND inside your territory.' })
  compoundId: string;

  @Field(() => Int, { description: 'Building number (幢), 1 or more.' })
  building: number;

  @Field(() => Int, { description: 'Unit (单元) of the building, 1 or more.' })
  unit: number;

  @Field(() => Int, { description: 'Room (室) number, 1 or more; the flat must not be registered yet.' })
  room: number;

  @Field(() => Tenure, { description: 'OWNER or TENANT.' })
  tenure: Tenure;

  @Field({
    defaultValue: false,
    description: 'Floating population (流动人口): the points system applies instead of personal credit. Default false.',
  })
  floatingPopulation: boolean;

  @Field(() => ID, { nullable: true, description: "The compound's property company (a PROPERTY_COMPANY institution)." })
  propertyCompanyId?: string | null;
}

@InputType({ description: 'Changes to a household: omitted fields keep their value.' })
export class UpdateHouseholdInput {
  @Field(() => Tenure, { nullable: true, description: 'OWNER or TENANT.' })
  tenure?: Tenure | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Moves the household to this COMPOUND (inside your territory); give its flat there (building, unit, room) too.',
  })
  compoundId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Building number (幢); with compoundId, the flat in the new compound.' })
  building?: number | null;

  @Field(() => Int, { nullable: true, description: 'Unit (单元) of the building.' })
  unit?: number | null;

  @Field(() => Int, { nullable: true, description: 'Room (室) number; the flat must not be taken by another household.' })
  room?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Floating population (流动人口) or not.' })
  floatingPopulation?: boolean | null;

  @Field(() => ID, { nullable: true, description: "The compound's property company (a PROPERTY_COMPANY institution)." })
  propertyCompanyId?: string | null;
}

@InputType({ description: 'A resident of a household, with what notices and disclosures need to know.' })
export class ResidentInput {
  @Field({ description: '1–40 characters.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Mainland mobile number, 11 digits.' })
  phone?: string | null;

  @Field(() => Occupation, { description: 'What the resident does: decides where notices go.' })
  occupation: Occupation;

  @Field(() => ID, { nullable: true, description: 'Employer or school; only for EMPLOYED and STUDENT.' })
  institutionId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The party member this resident is, when one (organization service).' })
  partyMemberId?: string | null;

  @Field(() => LocalDateScalar, {
    description: 'Not in the future; with a MONTH or YEAR precision give the first day of the month or year.',
  })
  birthDate: string;

  @Field(() => BirthDatePrecision, { defaultValue: BirthDatePrecision.DAY, description: 'How precisely birthDate is known; default DAY.' })
  birthDatePrecision?: BirthDatePrecision;

  @Field(() => DisclosureBasis, {
    defaultValue: DisclosureBasis.NONE,
    description: "Ground for disclosing the household's grade publicly; default NONE (never disclosed).",
  })
  disclosureBasis: DisclosureBasis;
}

@InputType({ description: "A guardian's consent to notices about a minor to their school." })
export class GuardianConsentInput {
  @Field({ description: '1–40 characters.' })
  guardianName: string;

  @Field({ description: '1–20 characters, e.g. 父亲, 母亲, 祖母.' })
  guardianRelation: string;

  @Field(() => String, { nullable: true, description: 'Mainland mobile number, 11 digits.' })
  guardianPhone?: string | null;
}

@InputType({ description: 'A signed commitment letter (承诺书) of a household.' })
export class RecordCommitmentLetterInput {
  @Field(() => ID, { description: 'A household of your territory.' })
  householdId: string;

  @Field(() => ID, { description: 'The resident who signed, registered in that household.' })
  signerResidentId: string;

  @Field(() => LocalDateScalar, { description: 'Not in the future.' })
  signedOn: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Photo of the signed letter: your own upload (POST /uploads), evidence of this letter only.',
  })
  photoId?: string | null;
}
