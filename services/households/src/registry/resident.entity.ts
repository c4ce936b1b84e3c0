import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BirthDatePrecision, DisclosureBasis, Occupation } from './registry-enums.js';

/** A person living in a household. Name, phone, birth date and the guardian's name and phone are personal data. */
@Entity('resident')
export class ResidentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  householdId: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  phone: string | null;

  @Column('text')
  occupation: Occupation;

  /** Employer (EMPLOYED) or school (STUDENT): an institution of organization. */
  @Column('uuid', { nullable: true })
  institutionId: string | null;

  /** Set when the resident is a party member (organization's PartyMember). */
  @Column('uuid', { nullable: true })
  partyMemberId: string | null;

  @Column('date')
  birthDate: string;

  @Column('text')
  birthDatePrecision: BirthDatePrecision;

  /** A guardian's consent to notices about this minor to their school; all null when none is on record. */
  @Column('text', { nullable: true })
  guardianName: string | null;

  @Column('text', { nullable: true })
  guardianRelation: string | null;

  @Column('text', { nullable: true })
  guardianPhone: string | null;

  @Column('timestamptz', { nullable: true })
  guardianConsentRecordedAt: Date | null;

  @Column('text', { nullable: true })
  guardianConsentRecordedBy: string | null;

  @Column('text')
  disclosureBasis: DisclosureBasis;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz')
  updatedAt: Date;
}

/** A household's commitment letter (垃圾分类承诺书). */
@Entity('commitment_letter')
export class CommitmentLetterEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  householdId: string;

  @Column('uuid')
  signerResidentId: string;

  @Column('date')
  signedOn: string;

  @Column('uuid', { nullable: true })
  photoId: string | null;

  @Column('text')
  recordedBy: string;

  @Column('timestamptz')
  createdAt: Date;
}
