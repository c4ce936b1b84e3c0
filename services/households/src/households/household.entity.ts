import type { Tenure } from './tenure.js';

/*
 * A row of the `household` table as the services select it (columns camel-cased). The table is read and written with
 * SQL only, so this is not a TypeORM entity.
 */

/** A household (户) at one flat of a compound. The address is personal data. */
export interface HouseholdTableRow {
  id: string;
  /** A COMPOUND of organization's territory tree. */
  compoundId: string;
  building: number;
  unit: number;
  room: number;
  tenure: Tenure;
  floatingPopulation: boolean;
  /** An institution of kind PROPERTY_COMPANY in organization. */
  propertyCompanyId: string | null;
  createdAt: Date;
  updatedAt: Date;
}
