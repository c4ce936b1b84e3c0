import { ArgsType, Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Grade } from '#libs/grades';
import { Connection, PageArgs } from '#libs/pagination';
import { InstitutionRef } from '#libs/references';
import { NOTICE_KIND_LABEL_ZH, NoticeKind } from '../templates/notice-kind.js';
import { NoticeState, NoticeWithdrawalReason } from './notice-state.js';

/** A notice row as the service reads it; `residentName` is already what this caller may see. */
export interface NoticeRow {
  id: string;
  kind: NoticeKind;
  month: string;
  institutionId: string;
  householdId: string;
  residentName: string;
  toGuardian: boolean;
  grade: Grade;
  score: string | null;
  ruleVersion: number;
  subject: string;
  textBody: string;
  htmlBody: string;
  state: NoticeState;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  acknowledgedAt: Date | null;
  withdrawnAt: Date | null;
  withdrawalReason: NoticeWithdrawalReason | null;
  releasedAt: Date | null;
}

@ObjectType({ description: 'A praise letter or reminder notice to a resident’s employer or school about a month’s grade.' })
export class Notice {
  @Field(() => ID, { description: 'Stable id of the notice.' })
  id: string;

  @Field(() => NoticeKind, { description: 'Praise letter or reminder notice.' })
  kind: NoticeKind;

  @Field({ description: 'e.g. 垃圾分类表扬信' })
  labelZh: string;

  @Field({ description: 'The graded month, YYYY-MM.' })
  month: string;

  @Field(() => InstitutionRef, { description: 'The employer or school it is addressed to.' })
  institution: InstitutionRef;

  @Field({
    description:
      'The resident as the institution knows them, or for a notice about a minor the guardian it is addressed to (toGuardian); masked (张*明) for staff without the right to personal data.',
  })
  residentName: string;

  @Field({ description: 'About a minor: addressed to the guardian who consented, through the school, with the month and grade only.' })
  toGuardian: boolean;

  @Field(() => Grade, { description: "The household's grade of the month that earned the notice." })
  grade: Grade;

  @Field(() => Float, { nullable: true, description: "The household's score of the month, if it had one." })
  score: number | null;

  @Field(() => Int, { description: 'Version of the notice rules that earned it.' })
  ruleVersion: number;

  @Field({ description: 'The subject line, as rendered from the zh-CN template.' })
  subject: string;

  @Field({ description: 'The plain-text form, as rendered from the zh-CN template.' })
  textBody: string;

  @Field({ description: 'The HTML form of the same text.' })
  htmlBody: string;

  @Field(() => NoticeState, { description: 'Where its delivery is.' })
  state: NoticeState;

  @Field(() => String, { nullable: true, description: 'Why the last delivery attempt failed, while it is FAILED.' })
  lastError: string | null;

  @Field({ description: 'When the notice was made (ISO 8601 timestamp).' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was last sent to the institution.' })
  sentAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the institution received it.' })
  deliveredAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the institution acknowledged it.' })
  acknowledgedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Set when a corrected grade no longer earns this notice: it is no longer in force. The institution then reads only a ' +
      'withdrawal text with the name masked, and is asked to delete its copies; staff keep the original for the record.',
  })
  withdrawnAt: Date | null;

  @Field(() => NoticeWithdrawalReason, { nullable: true, description: 'Why it was withdrawn, once withdrawn.' })
  withdrawalReason: NoticeWithdrawalReason | null;

  @Field(() => Date, {
    nullable: true,
    description:
      "When it was handed to the institution (API and webhooks); null while it waits for the month's objection window to close or for an objection about the household to be decided.",
  })
  releasedAt: Date | null;

  static from(row: NoticeRow): Notice {
    return Object.assign(new Notice(), {
      ...row,
      labelZh: NOTICE_KIND_LABEL_ZH[row.kind],
      institution: InstitutionRef.of(row.institutionId),
      score: row.score === null ? null : Number(row.score),
    });
  }
}

@ObjectType({
  description: 'A page of Notice items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class NoticeConnection extends Connection(Notice, 'Notice') {}

@ArgsType()
export class MyNoticesArgs extends PageArgs {
  @Field(() => NoticeState, { nullable: true, description: 'Only notices in this state.' })
  status?: NoticeState | null;

  @Field(() => String, { nullable: true, description: 'Only notices about this month (YYYY-MM).' })
  month?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only withdrawn notices; false: only those in force; omitted: both.' })
  withdrawn?: boolean | null;
}

@ArgsType()
export class NoticesArgs extends MyNoticesArgs {
  @Field(() => NoticeKind, { nullable: true, description: 'Only notices of this kind.' })
  kind?: NoticeKind | null;

  @Field(() => ID, { nullable: true, description: 'Only notices to this institution.' })
  institutionId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only notices about households under this org unit (default: your territory).' })
  orgUnitId?: string | null;
}
