import type { BirthDatePrecision } from '#libs/privacy';
import type { DisclosureBasis, Occupation } from './registry-enums.js';

/*
 * Rows of the `resident` and `commitment_letter` tables as the services select them (columns camel-cased, dates as
 * `YYYY-MM-DD`). The tables are read and written with SQL only, so these are not TypeORM entities.
 */

/** A person living in a household. Name, phone, birth date and the guardian's name and phone are personal data. */
export interface ResidentRow {
  id: string;
  householdId: string;
  name: string;
  phone: string | null;
  occupation: Occupation;
  /** Employer (EMPLOYED) or school (STUDENT): an institution of organization. */
  institutionId: string | null;
  /** Set when the resident is a party member (organization's PartyMember). */
  partyMemberId: string | null;
  birthDate: string;
  birthDatePrecision: BirthDatePrecision;
  /** A guardian's consent to notices about this minor to their school; all null when none is on record. */
  guardianName: string | null;
  guardianRelation: string | null;
  guardianPhone: string | null;
  guardianConsentRecordedAt: Date | null;
  guardianConsentRecordedBy: string | null;
  disclosureBasis: DisclosureBasis;
  createdAt: Date;
  updatedAt: Date;
}

/** A household's commitment letter (垃圾分类承诺书). */
export interface CommitmentLetterRow {
  id: string;
  householdId: string;
  signerResidentId: string;
  signedOn: string;
  photoId: string | null;
  recordedBy: string;
  createdAt: Date;
}
