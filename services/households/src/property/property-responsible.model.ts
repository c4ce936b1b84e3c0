import { ArgsType, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Permission } from '#libs/auth';
import { Connection, PageArgs } from '#libs/pagination';
import { maskName, maskPhone } from '#libs/privacy';
import { InstitutionRef, OrgUnitRef } from '#libs/references';

/** Who reads a responsible person's name and phone in clear: the households policy declares the same. */
export const RESPONSIBLE_PERSON_READERS = [Permission.PERSONAL_DATA_READ, Permission.PROPERTY_RESPONSIBLE_MANAGE] as const;

/** A property_responsible_person row as the service selects it. */
export interface PropertyResponsiblePersonRow {
  compoundId: string;
  propertyCompanyId: string;
  name: string;
  phone: string;
  recordedBy: string;
  recordedAt: Date;
}

@ObjectType('PropertyResponsiblePerson', {
  description:
    'A compound’s named person responsible for waste sorting at its property company (物业垃圾分类管理责任人). Name and phone are ' +
    'masked (张*明, 138****5678) unless your role may read personal data or records responsible persons.',
})
export class PropertyResponsiblePerson {
  @Field({ description: '物业垃圾分类管理责任人' })
  labelZh: string;

  @Field(() => OrgUnitRef, { description: 'The compound (小区).' })
  compound: OrgUnitRef;

  @Field(() => InstitutionRef, { description: 'The property company (物业公司) that manages the compound.' })
  propertyCompany: InstitutionRef;

  @Field({ description: "The person's name: masked (张*明) unless you may read personal data (see masked)." })
  name: string;

  @Field({ description: "The person's phone: masked (138****5678) unless you may read personal data (see masked)." })
  phone: string;

  @Field(() => Boolean, { description: 'True when name and phone are masked for you.' })
  masked: boolean;

  @Field({ description: 'The user who recorded the current person.' })
  recordedBy: string;

  @Field({ description: 'When the current person was recorded (ISO 8601 timestamp).' })
  recordedAt: Date;

  static from(row: PropertyResponsiblePersonRow, unmasked: boolean): PropertyResponsiblePerson {
    return Object.assign(new PropertyResponsiblePerson(), {
      labelZh: '物业垃圾分类管理责任人',
      compound: OrgUnitRef.of(row.compoundId),
      propertyCompany: InstitutionRef.of(row.propertyCompanyId),
      name: unmasked ? row.name : maskName(row.name),
      phone: unmasked ? row.phone : maskPhone(row.phone),
      masked: !unmasked,
      recordedBy: row.recordedBy,
      recordedAt: row.recordedAt,
    });
  }
}

@ObjectType({
  description:
    'A page of PropertyResponsiblePerson items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class PropertyResponsiblePersonConnection extends Connection(PropertyResponsiblePerson, 'PropertyResponsiblePerson') {}

@InputType({ description: "The person responsible for sorting at a compound's property company (物业垃圾分类管理责任人)." })
export class RecordPropertyResponsiblePersonInput {
  @Field(() => ID, {
    description: 'A compound (小区): for a property manager, one their company manages; for community staff, one of their territory.',
  })
  compoundId: string;

  @Field({ description: '1–50 characters.' })
  name: string;

  @Field({ description: 'A mobile number (13812345678) or a landline with its area code (0574-87654321).' })
  phone: string;
}

@ArgsType()
export class PropertyResponsiblePersonsArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Only compounds in and below this unit (staff: of your territory, which is also the default).',
  })
  orgUnitId?: string | null;
}
