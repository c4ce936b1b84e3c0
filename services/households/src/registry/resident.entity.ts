import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DisclosureBasis, Occupation } from './registry-enums.js';

/** A person living in a household. Name, phone and birth year are personal data. */
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

  /** Set when the resident is a party member (organization's PartyMember, issue 5). */
  @Column('uuid', { nullable: true })
  partyMemberId: string | null;

  @Column('smallint')
  birthYear: number;

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
