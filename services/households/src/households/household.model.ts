import { Directive, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '#libs/pagination';
import { InstitutionRef, OrgUnitRef } from '#libs/references';
import { Tenure } from './tenure.js';
import type { HouseholdTableRow } from './household.entity.js';

/** A household row with the name of its compound, as the listing query returns it. */
export interface HouseholdRow extends HouseholdTableRow {
  compoundName: string;
}

@ObjectType('Household', { description: 'A household (户). The room number is personal data, shown only to roles that visit households.' })
@Directive('@key(fields: "id")')
export class Household {
  @Field(() => ID, { description: 'Stable id of the household.' })
  id: string;

  @Field({ description: '户' })
  labelZh: string;

  @Field(() => OrgUnitRef, { description: 'The compound (小区) the household lives in.' })
  compound: OrgUnitRef;

  @Field(() => Int, { description: 'Building number (幢).' })
  building: number;

  @Field(() => Int, { description: 'Unit (单元) of the building.' })
  unit: number;

  @Field(() => Int, { nullable: true, description: 'Room (室); null unless your role may read personal data.' })
  room: number | null;

  @Field({ description: 'e.g. 锦苑花园5幢2单元301室; the room is masked (***) unless your role may read personal data.' })
  address: string;

  @Field(() => Boolean, { description: 'True when the address is masked for you.' })
  addressMasked: boolean;

  @Field(() => Tenure, { description: 'Whether the household owns (OWNER) or rents (TENANT) the flat.' })
  tenure: Tenure;

  @Field({ description: 'Floating population (流动人口): points-system rules apply instead of personal credit.' })
  floatingPopulation: boolean;

  @Field(() => InstitutionRef, { nullable: true, description: 'The property-management company (物业) of the compound.' })
  propertyCompany: InstitutionRef | null;

  @Field({ description: 'When the household was registered (ISO 8601 timestamp).' })
  createdAt: Date;

  static from(row: HouseholdRow, personalData: boolean): Household {
    const room = personalData ? `${row.room}` : '***';
    return Object.assign(new Household(), {
      id: row.id,
      labelZh: '户',
      compound: OrgUnitRef.of(row.compoundId),
      building: row.building,
      unit: row.unit,
      room: personalData ? row.room : null,
      address: `${row.compoundName}${row.building}幢${row.unit}单元${room}室`,
      addressMasked: !personalData,
      tenure: row.tenure,
      floatingPopulation: row.floatingPopulation,
      propertyCompany: row.propertyCompanyId ? InstitutionRef.of(row.propertyCompanyId) : null,
      createdAt: row.createdAt,
    });
  }
}

@ObjectType({
  description: 'A page of Household items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class HouseholdConnection extends Connection(Household, 'Household') {}
