import { Directive, Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '#libs/pagination';
import { InstitutionRef, OrgUnitRef } from '#libs/references';
import {
  REPORT_ACTION_LABEL_ZH,
  REPORT_ASSIGNEE_KIND_LABEL_ZH,
  REPORT_CHANNEL_LABEL_ZH,
  REPORT_STATUS_LABEL_ZH,
  ReportAction,
  ReportAssigneeKind,
  ReportChannel,
  ReportEvidenceKind,
  ReportStatus,
} from './report-enums.js';

/** A row of report_category. */
export interface ReportCategoryRow {
  code: string;
  nameZh: string;
  description: string;
  group: string;
  responseHours: number;
  active: boolean;
  sortOrder: number;
}

/** A row of citizen_report, as the service's queries select it. */
export interface ReportRow {
  id: string;
  channel: ReportChannel;
  categoryCode: string;
  categoryNameZh: string;
  description: string;
  orgUnitId: string | null;
  unitPath: string[];
  lat: number | null;
  long: number | null;
  addressText: string | null;
  photoUploadIds: string[];
  reporterUserId: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  submittedBy: string;
  submittedByInstitutionId: string | null;
  status: ReportStatus;
  statusNote: string | null;
  publicNote: string | null;
  publishDescription: boolean;
  /** Whether the public Open311 feed shows the description (PUBLIC_DESCRIPTION, computed by the query). */
  descriptionPublic: boolean;
  assigneeKind: ReportAssigneeKind | null;
  assigneeId: string | null;
  duplicateOf: string | null;
  reopenCount: number;
  submittedAt: Date;
  dueAt: Date;
  closedAt: Date | null;
  updatedAt: Date;
  overdue: boolean;
  /** submitted_at at full precision, for cursors. */
  submittedKey: string;
  observerId: string | null;
  verifiedAt: Date | null;
  evidenceKind: ReportEvidenceKind | null;
  evidenceAt: Date | null;
  evidenceInspectionId: string | null;
}

@ObjectType('ReportCategory', { description: 'What a citizen report is about (an Open311 service): 混投, 桶满溢, 未按时清运…' })
export class ReportCategory {
  @Field({ description: 'Stable code, also the Open311 service_code.' })
  code: string;

  @Field({ description: 'The Chinese name.' })
  labelZh: string;

  @Field({ description: 'What belongs in the category, for a reporter choosing one.' })
  description: string;

  @Field({ description: 'Open311 group: 分类投放, 设施与清运, 其他.' })
  group: string;

  @Field(() => Int, { description: 'A report of this category is due this many hours after it is submitted (or reopened).' })
  responseHours: number;

  @Field({ description: 'Inactive categories are kept for old reports and accept no new ones.' })
  active: boolean;

  static from(row: ReportCategoryRow): ReportCategory {
    return Object.assign(new ReportCategory(), {
      code: row.code,
      labelZh: row.nameZh,
      description: row.description,
      group: row.group,
      responseHours: row.responseHours,
      active: row.active,
    });
  }
}

@ObjectType({
  description:
    'A page of ReportCategory items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class ReportCategoryConnection extends Connection(ReportCategory, 'ReportCategory') {}

/** A row of citizen_report_history, as the service selects it. */
export interface ReportHistoryRow {
  action: ReportAction;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus;
  note: string | null;
  publicNote: string | null;
  actor: string;
  at: Date;
}

@ObjectType('ReportStatusChange', {
  description:
    'One step of a report: what was done, by whom, with its notes. The report\'s filer sees the steps with the public notes only and staff as "staff".',
})
export class ReportStatusChange {
  @Field(() => ReportAction, { description: 'What the step did.' })
  action: ReportAction;

  @Field({ description: 'The Chinese name of action.' })
  actionLabelZh: string;

  @Field(() => ReportStatus, { nullable: true, description: 'The status before the step; null for the submission.' })
  fromStatus: ReportStatus | null;

  @Field(() => ReportStatus, { description: 'The status after the step.' })
  toStatus: ReportStatus;

  @Field(() => String, {
    nullable: true,
    description: 'The internal note: staff handling the report only (the filer sees only the notes they wrote themselves).',
  })
  note: string | null;

  @Field(() => String, { nullable: true, description: 'The public note: shown to the filer and served by Open311 as status_notes.' })
  publicNote: string | null;

  @Field({
    description:
      'Who did it: a user id (staff, or the reporter for their submission), "reporter" for a reopening, "open311" for the public interface. The filer sees "reporter" for their own steps and "staff" for every other.',
  })
  actor: string;

  @Field({ description: 'When the step happened (ISO 8601 timestamp).' })
  at: Date;

  static from(row: ReportHistoryRow): ReportStatusChange {
    return Object.assign(new ReportStatusChange(), { ...row, actionLabelZh: REPORT_ACTION_LABEL_ZH[row.action] });
  }
}

@ObjectType('ReportReporter', { description: 'Who reported: never shown to the public; masked unless you may read personal data.' })
export class ReportReporter {
  @Field(() => String, { nullable: true, description: "The reporter's name: masked (张*明) unless you may read personal data." })
  name: string | null;

  @Field(() => String, { nullable: true, description: "The reporter's phone: masked (138****5678) unless you may read personal data." })
  phone: string | null;

  @Field({ description: 'True when shown unmasked (and the read was recorded).' })
  unmasked: boolean;
}

@ObjectType('CitizenReport', { description: 'A citizen report (随手拍, hotline, observer group or Open311) and where it stands.' })
@Directive('@key(fields: "id")')
export class CitizenReport {
  @Field(() => ID, { description: 'Also the Open311 service_request_id.' })
  id: string;

  @Field(() => ReportChannel, { description: 'How the report came in.' })
  channel: ReportChannel;

  @Field({ description: 'The Chinese name of channel.' })
  channelLabelZh: string;

  @Field({ description: 'The category code (Open311 service_code).' })
  categoryCode: string;

  @Field({ description: 'The Chinese name of the category.' })
  categoryLabelZh: string;

  @Field({ description: 'What the reporter described.' })
  description: string;

  @Field({
    description:
      'The reporter chose to have the description shown publicly (APP and OPEN311 only; default true there). Always false for HOTLINE and OBSERVER.',
  })
  publishDescription: boolean;

  @Field({
    description:
      'True when the public Open311 feed shows the description: a public channel, the reporter did not opt out, and no handler withheld it (withholdReportDescription).',
  })
  descriptionPublic: boolean;

  @Field(() => OrgUnitRef, { nullable: true, description: 'The compound the report is about, when given.' })
  compound: OrgUnitRef | null;

  @Field(() => Float, { nullable: true, description: 'WGS84 latitude, when given.' })
  latitude: number | null;

  @Field(() => Float, { nullable: true, description: 'WGS84 longitude, when given.' })
  longitude: number | null;

  @Field(() => String, { nullable: true, description: 'A place as the reporter described it: masked unless you may read personal data.' })
  addressText: string | null;

  @Field(() => [ID], { description: 'Photos (households uploads) sent with the report.' })
  photoUploadIds: string[];

  @Field(() => ReportReporter, { nullable: true, description: 'Null when the report was made anonymously.' })
  reporter: ReportReporter | null;

  @Field(() => InstitutionRef, {
    nullable: true,
    description: 'The institution whose API key filed it through Open311; null for every other report.',
  })
  submittedByInstitution: InstitutionRef | null;

  @Field({ description: 'True when the caller made this report (and may therefore reopen it).' })
  reportedByMe: boolean;

  @Field(() => ReportStatus, { description: 'Where the report is in its handling.' })
  status: ReportStatus;

  @Field({ description: 'The Chinese name of status.' })
  statusLabelZh: string;

  @Field(() => String, {
    nullable: true,
    description: 'The internal note of the latest status change: for staff handling the report; null to the reporter.',
  })
  statusNote: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The public note of the latest status change: what the reporter and Open311 (status_notes) see.',
  })
  publicStatusNote: string | null;

  @Field(() => ReportAssigneeKind, { nullable: true, description: 'What the report is assigned to, once assigned.' })
  assigneeKind: ReportAssigneeKind | null;

  @Field(() => String, { nullable: true, description: 'The Chinese name of assigneeKind.' })
  assigneeKindLabelZh: string | null;

  @Field(() => ID, { nullable: true, description: 'The bureau, team or unit the report is assigned to.' })
  assigneeId: string | null;

  @Field(() => InstitutionRef, { nullable: true, description: 'The assigned bureau, when assigned to one.' })
  assignedBureau: InstitutionRef | null;

  @Field(() => OrgUnitRef, { nullable: true, description: 'The assigned org unit, when assigned to one.' })
  assignedUnit: OrgUnitRef | null;

  @Field(() => ID, { nullable: true, description: 'For a DUPLICATE: the original report.' })
  duplicateOfId: string | null;

  @Field(() => Int, { description: 'How many times the reporter reopened it.' })
  reopenCount: number;

  @Field({ description: 'When the report was filed (ISO 8601 timestamp).' })
  submittedAt: Date;

  @Field({ description: 'Submitted (or last reopened) + the category response hours.' })
  dueAt: Date;

  @Field({ description: 'Still open after dueAt.' })
  overdue: boolean;

  @Field(() => Date, { nullable: true, description: 'When it was last resolved, rejected or marked duplicate; null while open.' })
  closedAt: Date | null;

  @Field({ description: 'When anything about the report last changed (ISO 8601 timestamp).' })
  updatedAt: Date;

  @Field({ description: 'A handler verified the report (核实: the problem is real); only a verified report may become evidence.' })
  verified: boolean;

  @Field(() => Date, { nullable: true, description: 'When a handler verified the report.' })
  verifiedAt: Date | null;

  @Field(() => ReportEvidenceKind, {
    nullable: true,
    description:
      'What the verified report became, once: a case (see evidenceCase) or an inspection of a household (see evidenceInspection). Null while it is none.',
  })
  evidenceKind: ReportEvidenceKind | null;

  @Field(() => Date, { nullable: true, description: 'When the report became evidence.' })
  evidenceAt: Date | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "For evidenceKind INSPECTION: the inspection recorded from the report (households records it a moment later). Null to the report's filer.",
  })
  evidenceInspectionId: string | null;

  /** Not a field: the observer roster entry of an OBSERVER report, for the batched `observer`. */
  observerId: string | null;

  /**
   * Not a field: whether the caller handles this report (REPORT_HANDLE in its territory) and so sees everything
   * of it; otherwise the caller is its filer, and child fields (history) show no more than the filer may see.
   */
  handledByCaller: boolean;

  static from(
    row: ReportRow,
    callerUserId: string,
    reporter: ReportReporter | null,
    addressText: string | null,
    handledByCaller: boolean,
  ): CitizenReport {
    return Object.assign(new CitizenReport(), {
      id: row.id,
      channel: row.channel,
      channelLabelZh: REPORT_CHANNEL_LABEL_ZH[row.channel],
      categoryCode: row.categoryCode,
      categoryLabelZh: row.categoryNameZh,
      description: row.description,
      publishDescription: row.publishDescription,
      descriptionPublic: row.descriptionPublic,
      compound: row.orgUnitId ? OrgUnitRef.of(row.orgUnitId) : null,
      latitude: row.lat,
      longitude: row.long,
      addressText,
      photoUploadIds: row.photoUploadIds,
      reporter,
      submittedByInstitution: row.submittedByInstitutionId ? InstitutionRef.of(row.submittedByInstitutionId) : null,
      reportedByMe: row.reporterUserId !== null && row.reporterUserId === callerUserId,
      status: row.status,
      statusLabelZh: REPORT_STATUS_LABEL_ZH[row.status],
      statusNote: handledByCaller ? row.statusNote : null,
      publicStatusNote: row.publicNote,
      assigneeKind: row.assigneeKind,
      assigneeKindLabelZh: row.assigneeKind ? REPORT_ASSIGNEE_KIND_LABEL_ZH[row.assigneeKind] : null,
      assigneeId: row.assigneeId,
      assignedBureau: row.assigneeKind === ReportAssigneeKind.BUREAU && row.assigneeId ? InstitutionRef.of(row.assigneeId) : null,
      assignedUnit: row.assigneeKind === ReportAssigneeKind.UNIT && row.assigneeId ? OrgUnitRef.of(row.assigneeId) : null,
      duplicateOfId: row.duplicateOf,
      reopenCount: row.reopenCount,
      submittedAt: row.submittedAt,
      dueAt: row.dueAt,
      overdue: row.overdue,
      closedAt: row.closedAt,
      updatedAt: row.updatedAt,
      verified: row.verifiedAt !== null,
      verifiedAt: row.verifiedAt,
      evidenceKind: row.evidenceKind,
      evidenceAt: row.evidenceAt,
      evidenceInspectionId: handledByCaller ? row.evidenceInspectionId : null,
      observerId: row.observerId,
      handledByCaller,
    });
  }
}

@ObjectType({
  description:
    'A page of CitizenReport items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class CitizenReportConnection extends Connection(CitizenReport, 'CitizenReport') {}
