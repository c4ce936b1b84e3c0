import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Tenure } from './tenure.js';

/** A household (户) at one flat of a compound. The address is personal data. */
@Entity('household')
export class HouseholdEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** A COMPOUND of organization's territory tree. */
  @Column('uuid')
  compoundId: string;

  @Column('integer')
  building: number;

  @Column('integer')
  unit: number;

  @Column('integer')
  room: number;

  @Column('text')
  tenure: Tenure;

  @Column('boolean')
  floatingPopulation: boolean;

  /** An institution of kind PROPERTY_COMPANY in organization. */
  @Column('uuid', { nullable: true })
  propertyCompanyId: string | null;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz')
  updatedAt: Date;
}
