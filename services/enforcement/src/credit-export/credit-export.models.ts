import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { describedValues, publishEntityType } from '#libs/platform';
import { districtMonthEntity } from '#libs/references';

export enum CreditExportKind {
  RECORD = 'RECORD',
  RETRACTION = 'RETRACTION',
}

export enum CreditSystem {
  CREDIT = 'CREDIT',
  POINTS = 'POINTS',
}

export enum CreditExportState {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

export const CREDIT_EXPORT_KIND_LABEL_ZH: Record<CreditExportKind, string> = { RECORD: '失信记录', RETRACTION: '撤回记录' };
export const CREDIT_SYSTEM_LABEL_ZH: Record<CreditSystem, string> = {
  CREDIT: '信用系统（个人征信／法人信用）',
  POINTS: '流动人口积分制',
};
export const CREDIT_EXPORT_STATE_LABEL_ZH: Record<CreditExportState, string> = {
  PENDING: '待发送',
  DELIVERED: '已送达',
  FAILED: '发送失败',
  CANCELLED: '已取消（未发送即撤销）',
};

registerEnumType(CreditExportKind, {
  name: 'CreditExportKind',
  description: 'What an export to a credit system records: a final penalty, or the retraction of one.',
  valuesMap: describedValues(CREDIT_EXPORT_KIND_LABEL_ZH),
});
registerEnumType(CreditSystem, {
  name: 'CreditSystem',
  description:
    'The external credit system a record is exported to (the social credit system, or the points system for floating population).',
  valuesMap: describedValues(CREDIT_SYSTEM_LABEL_ZH),
});
registerEnumType(CreditExportState, {
  name: 'CreditExportState',
  description: 'Where an export is in delivery: pending, retrying, delivered or failed for good.',
  valuesMap: describedValues(CREDIT_EXPORT_STATE_LABEL_ZH),
});

@ObjectType({ description: 'One delivery attempt of an export.' })
export class CreditExportAttempt {
  @Field(() => Int, { description: 'Number of the attempt, from 1.' })
  attempt: number;

  @Field({ description: 'When the attempt was made (ISO 8601 timestamp).' })
  attemptedAt: Date;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the answer; null when none came.' })
  statusCode: number | null;

  @Field(() => String, { nullable: true, description: "Why the attempt failed (network error or the answer's status), if it did." })
  error: string | null;

  @Field(() => Int, { description: 'How long the attempt took, in milliseconds.' })
  durationMs: number;
}

@ObjectType({ description: 'A record (or its retraction) sent to the credit or points system through the outbox.' })
export class CreditExport {
  @Field(() => ID, { description: 'Also the x-export-id header: the same on every attempt.' })
  id: string;

  @Field(() => ID, { description: 'The case whose penalty is exported.' })
  caseId: string;

  @Field(() => CreditExportKind, { description: 'A penalty record or the retraction of one.' })
  kind: CreditExportKind;

  @Field({ description: 'The Chinese name of kind.' })
  kindLabelZh: string;

  @Field(() => CreditSystem, { description: 'The credit system the record goes to.' })
  system: CreditSystem;

  @Field({ description: 'The Chinese name of system.' })
  systemLabelZh: string;

  @Field(() => ID, { nullable: true, description: 'For a retraction: the record it withdraws.' })
  retractsId: string | null;

  @Field({ description: 'Exactly the JSON body sent (minimised: ids, article, amount, dates; no names or phones).' })
  payloadJson: string;

  @Field(() => CreditExportState, { description: 'Where the delivery is.' })
  state: CreditExportState;

  @Field({ description: 'The Chinese name of state.' })
  stateLabelZh: string;

  @Field(() => Int, { description: 'Delivery attempts made so far.' })
  attempts: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due, while the export is retrying.' })
  nextAttemptAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the latest attempt failed, if it did.' })
  lastError: string | null;

  @Field(() => Date, { nullable: true, description: 'When the credit system accepted the record.' })
  deliveredAt: Date | null;

  @Field({ description: 'When the export was queued (ISO 8601 timestamp).' })
  createdAt: Date;

  @Field(() => [CreditExportAttempt], { description: 'Every delivery attempt, oldest first.' })
  attemptLog: CreditExportAttempt[];
}

@ObjectType({
  description:
    'A page of CreditExport items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class CreditExportConnection extends Connection(CreditExport, 'CreditExport') {}

@ArgsType()
export class CreditExportsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only the exports of this case.' })
  caseId?: string | null;

  @Field(() => CreditExportState, { nullable: true, description: 'Only exports in this state.' })
  state?: CreditExportState | null;
}

@ObjectType('DistrictMonthCreditExports', {
  description: "enforcement's part of a district's month: the credit/points exports recorded in the month (Asia/Shanghai).",
})
export class DistrictMonthCreditExports {
  @Field(() => Int, { description: 'Exports waiting to be sent or retried (PENDING).' })
  due: number;

  @Field(() => Int, { description: 'Exports the credit or points system accepted (DELIVERED).' })
  sent: number;

  @Field(() => Int, { description: 'Exports that failed for good (FAILED); see creditExports(state: FAILED).' })
  failed: number;

  @Field(() => Int, { description: 'Exports withdrawn before they were sent (未发送即撤销).' })
  cancelled: number;
}

export const DistrictMonth = districtMonthEntity();
export type DistrictMonth = InstanceType<typeof DistrictMonth>;
// No field here returns it: households' districtMonth leads to it and the gateway resolves it here by reference.
publishEntityType(DistrictMonth);
