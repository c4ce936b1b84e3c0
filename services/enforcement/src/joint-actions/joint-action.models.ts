import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { InstitutionRef, OrgUnitRef } from '#libs/references';
import {
  FINDING_CATEGORY_LABEL_ZH,
  FINDING_TARGET_KIND_LABEL_ZH,
  FindingCategory,
  FindingTargetKind,
  JOINT_ACTION_CHANGE_LABEL_ZH,
  JOINT_ACTION_STATUS_LABEL_ZH,
  JointActionChange,
  JointActionStatus,
} from './joint-action-enums.js';

export interface JointActionRow {
  id: string;
  campaignId: string | null;
  title: string;
  startsAt: Date;
  endsAt: Date;
  leadBureauId: string;
  targetUnitIds: string[];
  teamIds: string[];
  officerIds: string[];
  status: JointActionStatus;
  revision: number;
  heldAt: Date | null;
  place: string | null;
  summary: string | null;
  participants: { bureauId: string; officerIds: string[] }[] | null;
  report: StoredJointActionReport | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An `action_finding` row, as the service reads it. */
export interface ActionFindingRow {
  id: string;
  actionId: string;
  targetKind: FindingTargetKind;
  householdId: string | null;
  propertyCompanyId: string | null;
  orgUnitId: string | null;
  category: FindingCategory;
  description: string;
  photoIds: string[];
  recordedAt: Date;
}

/** `joint_action.report` as stored: frozen when the action is reported. */
export interface StoredJointActionReport {
  findingsRecorded: number;
  casesOpened: number;
  casesRectified: number;
  households: number;
  passRateBefore: number | null;
  passRateAfter: number | null;
  beforeFrom: string;
  afterTo: string;
  reportedAt: string;
}

@ObjectType({ description: 'A bureau that took part in a held action, and its officers who were there.' })
export class JointActionParticipant {
  @Field(() => InstitutionRef, { description: 'The bureau that took part.' })
  bureau: InstitutionRef;

  @Field(() => [ID], { description: "Ids of the bureau's enforcement officers (see JointAction.officers for names)." })
  officerIds: string[];
}

@ObjectType({
  description:
    "A reported action's figures, frozen when it was reported. Pass rate: the share of the households registered in the " +
    "action's target units with no failure on record in enforcement in the window — no joint action finding about the " +
    "household and no case opened against it (this action's own findings and the cases opened from them are left out: " +
    'they are counted above). Before: the 30 days up to heldAt; after: from heldAt to 30 days later or the report, whichever ' +
    'came first. Null when the target units have no households.',
})
export class JointActionReport {
  @Field(() => Int, { description: 'Findings the action recorded.' })
  findingsRecorded: number;

  @Field(() => Int, { description: 'Cases opened from those findings.' })
  casesOpened: number;

  @Field(() => Int, { description: 'Of those cases, the ones closed as rectified (follow-up found the target complied).' })
  casesRectified: number;

  @Field(() => Int, { description: "Households registered in the action's target units when it was reported." })
  households: number;

  @Field(() => Float, { nullable: true, description: 'Between 0 and 1.' })
  passRateBefore: number | null;

  @Field(() => Float, { nullable: true, description: 'Between 0 and 1.' })
  passRateAfter: number | null;

  @Field({ description: 'Start of the before window (heldAt − 30 days).' })
  beforeFrom: Date;

  @Field({ description: 'End of the after window.' })
  afterTo: Date;

  @Field({ description: 'When the action was reported and its figures frozen (ISO 8601 timestamp).' })
  reportedAt: Date;

  static from(stored: StoredJointActionReport): JointActionReport {
    return Object.assign(new JointActionReport(), {
      ...stored,
      beforeFrom: new Date(stored.beforeFrom),
      afterTo: new Date(stored.afterTo),
      reportedAt: new Date(stored.reportedAt),
    });
  }
}

@ObjectType({ description: "A bureau's enforcement team (执法队伍)." })
export class EnforcementTeam {
  @Field(() => ID, { description: 'Stable id of the team.' })
  id: string;

  @Field({ description: "The team's name, unique within its bureau." })
  name: string;

  @Field(() => InstitutionRef, { description: 'The bureau the team belongs to.' })
  bureau: InstitutionRef;
}

@ObjectType({ description: 'An enforcement officer of a bureau.' })
export class EnforcementOfficer {
  @Field(() => ID, { description: 'Stable id of the officer.' })
  id: string;

  @Field({ description: "The officer's name (an official acting in office, printed on the notices they serve)." })
  name: string;

  @Field(() => InstitutionRef, { description: 'The bureau the officer serves in.' })
  bureau: InstitutionRef;
}

@ObjectType({ description: 'One change of a joint action; `revision` is the iCalendar SEQUENCE it produced.' })
export class JointActionRevision {
  @Field(() => Int, { description: "The action's revision number after this change (0 when scheduled)." })
  revision: number;

  @Field(() => JointActionChange, { description: 'What the change was.' })
  change: JointActionChange;

  @Field({ description: 'The Chinese name of change.' })
  labelZh: string;

  @Field({ description: 'Start of the window as of this revision (ISO 8601 timestamp).' })
  startsAt: Date;

  @Field({ description: 'End of the window as of this revision (ISO 8601 timestamp).' })
  endsAt: Date;

  @Field(() => String, { nullable: true, description: 'Why the action was rescheduled or cancelled.' })
  reason: string | null;

  @Field({ description: 'When the change was made (ISO 8601 timestamp).' })
  changedAt: Date;

  static from(row: {
    revision: number;
    kind: JointActionChange;
    startsAt: Date;
    endsAt: Date;
    reason: string | null;
    changedAt: Date;
  }): JointActionRevision {
    return Object.assign(new JointActionRevision(), {
      revision: row.revision,
      change: row.kind,
      labelZh: JOINT_ACTION_CHANGE_LABEL_ZH[row.kind],
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      reason: row.reason,
      changedAt: row.changedAt,
    });
  }
}

@ObjectType({ description: 'A joint enforcement action (联合执法行动): a window, target units, a lead bureau, teams and officers.' })
export class JointAction {
  @Field(() => ID, { description: 'Stable id of the joint action.' })
  id: string;

  @Field(() => ID, { nullable: true, description: 'The campaign the action belongs to, if any.' })
  campaignId: string | null;

  @Field({ description: 'Title of the action, 1–100 characters.' })
  title: string;

  @Field(() => JointActionStatus, { description: 'Where the action is (see labelZh for its Chinese name).' })
  status: JointActionStatus;

  @Field({ description: 'The Chinese name of the status.' })
  labelZh: string;

  @Field({ description: 'Start of the scheduled window (ISO 8601 timestamp).' })
  startsAt: Date;

  @Field({ description: 'End of the scheduled window (ISO 8601 timestamp).' })
  endsAt: Date;

  @Field(() => Int, { description: 'Grows with every reschedule or cancellation; the iCalendar SEQUENCE.' })
  revision: number;

  @Field(() => InstitutionRef, { description: 'The bureau leading the action (a DEPARTMENT institution).' })
  leadBureau: InstitutionRef;

  @Field(() => [OrgUnitRef], { description: 'The org units the action covers.' })
  targetUnits: OrgUnitRef[];

  @Field(() => Date, { nullable: true, description: 'When the action was held (HELD and REPORTED).' })
  heldAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Where the action was held (HELD and REPORTED).' })
  place: string | null;

  @Field(() => String, { nullable: true, description: 'What was done, as recorded when held (no personal data).' })
  summary: string | null;

  @Field(() => [JointActionParticipant], { nullable: true, description: 'Who took part from which bureau (HELD and REPORTED).' })
  participants: JointActionParticipant[] | null;

  @Field(() => JointActionReport, { nullable: true, description: 'The frozen report; null until the action is REPORTED.' })
  report: JointActionReport | null;

  /** Resolved by the resolver (batched). */
  teamIds: string[];
  officerIds: string[];

  @Field({ description: 'When the action was scheduled (ISO 8601 timestamp).' })
  createdAt: Date;

  static from(row: JointActionRow): JointAction {
    return Object.assign(new JointAction(), {
      id: row.id,
      campaignId: row.campaignId,
      title: row.title,
      status: row.status,
      labelZh: JOINT_ACTION_STATUS_LABEL_ZH[row.status],
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      revision: row.revision,
      leadBureau: InstitutionRef.of(row.leadBureauId),
      targetUnits: row.targetUnitIds.map((id) => OrgUnitRef.of(id)),
      teamIds: row.teamIds,
      officerIds: row.officerIds,
      createdAt: row.createdAt,
      heldAt: row.heldAt,
      place: row.place,
      summary: row.summary,
      participants:
        row.participants?.map((p) =>
          Object.assign(new JointActionParticipant(), { bureau: InstitutionRef.of(p.bureauId), officerIds: p.officerIds }),
        ) ?? null,
      report: row.report ? JointActionReport.from(row.report) : null,
    });
  }
}

@ObjectType({
  description:
    'A page of JointAction items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class JointActionConnection extends Connection(JointAction, 'JointAction') {}

@ObjectType({ description: 'What an action found: an inspection for a household, a violation candidate otherwise.' })
export class ActionFinding {
  @Field(() => ID, { description: 'Stable id of the finding.' })
  id: string;

  @Field(() => ID, { description: 'The joint action that recorded it.' })
  actionId: string;

  @Field(() => FindingTargetKind, { description: 'Whom the finding is about.' })
  targetKind: FindingTargetKind;

  @Field({ description: 'The Chinese name of targetKind.' })
  targetLabelZh: string;

  @Field(() => ID, { nullable: true, description: 'For a HOUSEHOLD finding: the household (its inspection is recorded in households).' })
  householdId: string | null;

  @Field(() => InstitutionRef, { nullable: true, description: 'For a PROPERTY_COMPANY finding: the company.' })
  propertyCompany: InstitutionRef | null;

  @Field(() => OrgUnitRef, { nullable: true, description: 'For an ORG_UNIT finding: the unit.' })
  orgUnit: OrgUnitRef | null;

  @Field(() => FindingCategory, { description: 'What kind of problem was found.' })
  category: FindingCategory;

  @Field({ description: 'The Chinese name of category.' })
  labelZh: string;

  @Field({ description: 'What was found, 1–500 characters, no personal data.' })
  description: string;

  @Field(() => [ID], { description: 'Photo uploads taken as evidence.' })
  photoIds: string[];

  @Field({ description: 'When the finding was recorded (ISO 8601 timestamp).' })
  recordedAt: Date;

  static from(row: ActionFindingRow): ActionFinding {
    return Object.assign(new ActionFinding(), {
      id: row.id,
      actionId: row.actionId,
      targetKind: row.targetKind,
      targetLabelZh: FINDING_TARGET_KIND_LABEL_ZH[row.targetKind],
      householdId: row.householdId,
      propertyCompany: row.propertyCompanyId ? InstitutionRef.of(row.propertyCompanyId) : null,
      orgUnit: row.orgUnitId ? OrgUnitRef.of(row.orgUnitId) : null,
      category: row.category,
      labelZh: FINDING_CATEGORY_LABEL_ZH[row.category],
      description: row.description,
      photoIds: row.photoIds,
      recordedAt: row.recordedAt,
    });
  }
}

@ObjectType({ description: "A bureau's secret iCalendar feed address. Shown once: only its hash is kept." })
export class BureauCalendarFeed {
  @Field(() => InstitutionRef, { description: 'The bureau whose joint actions the feed lists.' })
  bureau: InstitutionRef;

  @Field({ description: 'Path on the public gateway (/calendars/<token>.ics); the previous one stops working.' })
  path: string;

  @Field({ description: 'The whole address to subscribe to in a calendar app: PUBLIC_GATEWAY_URL and the path.' })
  url: string;
}

@ObjectType({ description: 'The part of the territory a bureau may act in: the unit and everything under it.' })
export class BureauRemit {
  @Field(() => InstitutionRef, { description: 'The bureau allowed to act.' })
  bureau: InstitutionRef;

  @Field(() => OrgUnitRef, { description: 'The unit (and everything under it) the bureau may act in.' })
  orgUnit: OrgUnitRef;
}

@InputType({ description: 'A joint action to schedule: title, window, target units, lead bureau and who is booked.' })
export class ScheduleJointActionInput {
  @Field(() => ID, { nullable: true, description: 'The campaign the action belongs to, if any.' })
  campaignId?: string | null;

  @Field({ description: '1–100 characters.' })
  title: string;

  @Field({ description: 'Start of the window (ISO 8601 timestamp).' })
  startsAt: Date;

  @Field({ description: 'After startsAt, at most 7 days later.' })
  endsAt: Date;

  @Field(() => [ID], { description: "At least one unit, inside the lead bureau's remit; none inside another." })
  targetUnitIds: string[];

  @Field(() => ID, { description: 'A DEPARTMENT institution.' })
  leadBureauId: string;

  @Field(() => [ID], {
    defaultValue: [],
    description: 'Enforcement teams booked for the action; none booked elsewhere in an overlapping window.',
  })
  teamIds: string[];

  @Field(() => [ID], {
    defaultValue: [],
    description: 'Enforcement officers booked for the action; none booked elsewhere in an overlapping window.',
  })
  officerIds: string[];
}

@InputType({ description: 'One bureau that took part in a held action, with its officers.' })
export class JointActionParticipantInput {
  @Field(() => ID, { description: 'A DEPARTMENT institution.' })
  bureauId: string;

  @Field(() => [ID], { defaultValue: [], description: "The bureau's own enforcement officers who took part." })
  officerIds: string[];
}

@InputType({ description: 'How a scheduled action was held: when, where, who took part, and a summary.' })
export class HoldJointActionInput {
  @Field({ description: 'When it was held: not in the future.' })
  heldAt: Date;

  @Field(() => [JointActionParticipantInput], { description: 'At least one bureau, each once.' })
  participants: JointActionParticipantInput[];

  @Field(() => String, { nullable: true, description: '1–200 characters.' })
  place?: string | null;

  @Field(() => String, { nullable: true, description: '1–2000 characters, no personal data.' })
  summary?: string | null;
}

@InputType({ description: 'What an action found, about exactly one household, property company or org unit.' })
export class RecordActionFindingInput {
  @Field(() => ID, { nullable: true, description: 'Exactly one of householdId, propertyCompanyId, orgUnitId.' })
  householdId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The property company (an institution) the finding is about.' })
  propertyCompanyId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The org unit the finding is about.' })
  orgUnitId?: string | null;

  @Field(() => FindingCategory, { description: 'What kind of problem was found.' })
  category: FindingCategory;

  @Field({ description: '1–500 characters, no personal data.' })
  description: string;

  @Field(() => [ID], {
    defaultValue: [],
    description: 'Photos: your own uploads (POST /uploads), each evidence of one record only; at most 9.',
  })
  photoIds: string[];
}

@ArgsType()
export class JointActionsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Actions this bureau leads or takes part in with a team or officer.' })
  bureauId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Actions ending after this time.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Actions starting before this time.' })
  to?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Actions on this unit, a unit inside it or a unit containing it.' })
  unitId?: string | null;

  @Field(() => JointActionStatus, { nullable: true, description: 'Only actions in this status.' })
  status?: JointActionStatus | null;
}
