import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CampaignKind, CampaignState } from './campaign-enums.js';

/** An enforcement campaign over part of the territory, run by one or more bureaus. */
@Entity('campaign')
export class CampaignEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  kind: CampaignKind;

  @Column('text')
  name: string;

  @Column('text')
  state: CampaignState;

  /** Calendar dates in Asia/Shanghai, inclusive. */
  @Column('date')
  startsOn: string;

  @Column('date')
  endsOn: string;

  /** Org units (from organization) the campaign covers. */
  @Column('uuid', { array: true })
  targetUnitIds: string[];

  /** DEPARTMENT institutions taking part; the lead is one of them. */
  @Column('uuid', { array: true })
  bureauIds: string[];

  @Column('uuid', { nullable: true })
  leadBureauId: string | null;

  @Column('text')
  createdBy: string;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz')
  updatedAt: Date;
}
