import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CampaignKind, CampaignState } from './campaign-enums.js';
import type { StoredCampaignReport } from './campaign-report.js';

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

  /** The waste streams the campaign is about (empty: all of them). */
  @Column('text', { array: true })
  wasteStreams: string[];

  /** The pass rate the campaign aims for in its target units (0–1), if it sets one. */
  @Column('float8', { nullable: true })
  goalPassRate: number | null;

  /** Joint actions each street it covers must hold in its quarter (the quarterly campaigns' rule). */
  @Column('int')
  requiredActions: number;

  /** The figures frozen when the campaign was REPORTED (see campaign-report.ts). */
  @Column('jsonb', { nullable: true })
  report: StoredCampaignReport | null;

  @Column('text')
  createdBy: string;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz')
  updatedAt: Date;
}
