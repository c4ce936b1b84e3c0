import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';

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
  PENDING: '待发送', DELIVERED: '已送达', FAILED: '发送失败', CANCELLED: '已取消（未发送即撤销）',
};

const described = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([v, zh]) => [v, { description: zh }]));
registerEnumType(CreditExportKind, { name: 'CreditExportKind', valuesMap: described(CREDIT_EXPORT_KIND_LABEL_ZH) });
registerEnumType(CreditSystem, { name: 'CreditSystem', valuesMap: described(CREDIT_SYSTEM_LABEL_ZH) });
registerEnumType(CreditExportState, { name: 'CreditExportState', valuesMap: described(CREDIT_EXPORT_STATE_LABEL_ZH) });

@ObjectType({ description: 'One delivery attempt of an export.' })
export class CreditExportAttempt {
  @Field(() => Int)
  attempt: number;

  @Field()
  attemptedAt: Date;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the answer; null when none came.' })
  statusCode: number | null;

  @Field(() => String, { nullable: true })
  error: string | null;

  @Field(() => Int)
  durationMs: number;
}

@ObjectType({ description: 'A record (or its retraction) sent to the credit or points system through the outbox.' })
export class CreditExport {
  @Field(() => ID, { description: 'Also the x-export-id header: the same on every attempt.' })
  id: string;

  @Field(() => ID)
  caseId: string;

  @Field(() => CreditExportKind)
  kind: CreditExportKind;

  @Field()
  kindLabelZh: string;

  @Field(() => CreditSystem)
  system: CreditSystem;

  @Field()
  systemLabelZh: string;

  @Field(() => ID, { nullable: true, description: 'For a retraction: the record it withdraws.' })
  retractsId: string | null;

  @Field({ description: 'Exactly the JSON body sent (minimised: ids, article, amount, dates; no names or phones).' })
  payloadJson: string;

  @Field(() => CreditExportState)
  state: CreditExportState;

  @Field()
  stateLabelZh: string;

  @Field(() => Int)
  attempts: number;

  @Field(() => Date, { nullable: true })
  nextAttemptAt: Date | null;

  @Field(() => String, { nullable: true })
  lastError: string | null;

  @Field(() => Date, { nullable: true })
  deliveredAt: Date | null;

  @Field()
  createdAt: Date;

  @Field(() => [CreditExportAttempt])
  attemptLog: CreditExportAttempt[];
}

@ObjectType({ description: 'A page of CreditExport items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.' })
export class CreditExportConnection extends Connection(CreditExport, 'CreditExport') {}

@ArgsType()
export class CreditExportsArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  caseId?: string | null;

  @Field(() => CreditExportState, { nullable: true })
  state?: CreditExportState | null;
}
