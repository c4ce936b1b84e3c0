import type { VolunteerActivityKind, VolunteerActivityStatus, VolunteerCampaign } from './volunteer-enums.js';

/** Rows as the services select them (column aliases in camelCase). */
export interface VolunteerTeamRow {
  id: string;
  name: string;
  compoundBranchId: string;
  compoundBranchName: string;
  orgUnitId: string;
  volunteerCount: number;
  createdAt: Date;
}

export interface VolunteerRow {
  id: string;
  userId: string;
  name: string;
  phone: string | null;
  partyMemberId: string | null;
  teamId: string | null;
  registeredAt: Date;
}

export interface VolunteerActivityRow {
  id: string;
  campaign: VolunteerCampaign;
  kind: VolunteerActivityKind;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  /** starts_at as text, for cursors. */
  startsAtKey: string;
  orgUnitId: string;
  orgUnitName: string;
  orgUnitPath: string[];
  place: string;
  capacity: number;
  teamId: string | null;
  status: VolunteerActivityStatus;
  createdBy: string;
  createdAt: Date;
  publishedAt: Date | null;
  closedAt: Date | null;
  signUpCount: number;
  /** Whole days of a multi-day activity; null for a single session. */
  days: number | null;
  /** The Shanghai date of starts_at (YYYY-MM-DD). */
  firstDay: string;
  /** Participants who checked in on every day (multi-day activities only). */
  completedCount: number | null;
}

export interface VolunteerSignUpRow {
  id: string;
  activityId: string;
  volunteerId: string;
  signedUpAt: Date;
  signedUpAtKey: string;
  cancelledAt: Date | null;
  checkedInAt: Date | null;
  hours: string | null;
  hoursApprovedBy: string | null;
  hoursApprovedAt: Date | null;
  activityDays: number | null;
  /** Days of a multi-day activity checked in, YYYY-MM-DD, in order. */
  checkedInDays: string[];
}
