import { ArgsType, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { InstitutionRef } from '#libs/references';

export interface ApiKeyRow {
  id: string;
  institutionId: string;
  prefix: string;
  label: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  issuedBy: string;
}

@ObjectType({ description: "An institution's API key, as lists show it: the prefix, never the secret." })
export class InstitutionApiKey {
  @Field(() => ID, { description: 'Stable id of the key (not the secret).' })
  id: string;

  @Field(() => InstitutionRef, { description: 'The institution (employer or school) the key belongs to.' })
  institution: InstitutionRef;

  @Field({ description: 'The visible start of the key, e.g. wsk_k3j5t7abcd.' })
  prefix: string;

  @Field({ description: 'What the key is for, e.g. 教务系统.' })
  label: string;

  @Field({
    description:
      'Who made the key: the enrolment it was redeemed from (enrolment:<id>), or the key that rotated into it (api-key:<prefix>).',
  })
  createdBy: string;

  @Field({ description: 'The member of staff who issued the enrolment code this key (or the key it was rotated from) came from.' })
  issuedBy: string;

  @Field({ description: 'When the key was made (ISO 8601 timestamp).' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'Set when the key was rotated: it keeps working until then.' })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked; null while not revoked.' })
  revokedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last time it authenticated a request (to the minute).' })
  lastUsedAt: Date | null;

  @Field({ description: 'Neither revoked nor past its expiry.' })
  active: boolean;

  static from(row: ApiKeyRow, now = new Date()): InstitutionApiKey {
    return Object.assign(new InstitutionApiKey(), {
      ...row,
      institution: InstitutionRef.of(row.institutionId),
      active: row.revokedAt === null && (row.expiresAt === null || row.expiresAt > now),
    });
  }
}

@ObjectType({
  description:
    'A page of InstitutionApiKey items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class InstitutionApiKeyConnection extends Connection(InstitutionApiKey, 'InstitutionApiKey') {}

@ObjectType({
  description: 'A new key, answered to the institution itself. The secret is shown this once and never again: only its hash is kept.',
})
export class IssuedApiKey {
  @Field(() => InstitutionApiKey, { description: "The key's record (without the secret)." })
  apiKey: InstitutionApiKey;

  @Field({ description: 'The whole key, to send as the x-api-key header.' })
  secret: string;
}

@ArgsType()
export class InstitutionApiKeysArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Staff: whose keys. An institution always sees its own.' })
  institutionId?: string | null;
}

export enum InstitutionEnrolmentState {
  OPEN = 'OPEN',
  REDEEMED = 'REDEEMED',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(InstitutionEnrolmentState, {
  name: 'InstitutionEnrolmentState',
  valuesMap: {
    OPEN: { description: 'Issued and not yet redeemed; the code works until expiresAt.' },
    REDEEMED: { description: 'The institution redeemed the code for an API key.' },
    CANCELLED: { description: 'Cancelled by staff before it was redeemed; the code no longer works.' },
    EXPIRED: { description: 'Not redeemed before expiresAt; the code no longer works.' },
  },
  description: "Where an institution's enrolment code is: open, redeemed for a key, cancelled, or expired unused.",
});

export interface EnrolmentRow {
  id: string;
  institutionId: string;
  label: string;
  contactName: string | null;
  contactPhone: string | null;
  issuedBy: string;
  issuedAt: Date;
  expiresAt: Date;
  redeemedAt: Date | null;
  apiKeyId: string | null;
  cancelledAt: Date | null;
  state: InstitutionEnrolmentState;
}

@ObjectType({
  description:
    "A one-time code staff hand to an institution's contact, which the institution redeems for its API key. The code itself is shown only when issued.",
})
export class InstitutionEnrolment {
  @Field(() => ID, { description: 'Stable id of the enrolment.' })
  id: string;

  @Field(() => InstitutionRef, { description: 'The institution the code was issued for.' })
  institution: InstitutionRef;

  @Field({ description: 'What the key will be for, e.g. 教务系统.' })
  label: string;

  @Field(() => String, {
    nullable: true,
    description: 'Who the code was handed to; masked without PERSONAL_DATA_READ, erased once the enrolment is redeemed or cancelled.',
  })
  contactName: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Masked without PERSONAL_DATA_READ; erased once the enrolment is redeemed or cancelled.',
  })
  contactPhone: string | null;

  @Field({ description: 'The member of staff who issued the code.' })
  issuedBy: string;

  @Field({ description: 'When the code was issued (ISO 8601 timestamp).' })
  issuedAt: Date;

  @Field({ description: 'Until when the code may be redeemed (ISO 8601 timestamp).' })
  expiresAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the code was redeemed (REDEEMED).' })
  redeemedAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The key the redemption created.' })
  apiKeyId: string | null;

  @Field(() => Date, { nullable: true, description: 'When the enrolment was cancelled (CANCELLED).' })
  cancelledAt: Date | null;

  @Field(() => InstitutionEnrolmentState, { description: 'Where the enrolment is.' })
  state: InstitutionEnrolmentState;

  static from(row: EnrolmentRow): InstitutionEnrolment {
    return Object.assign(new InstitutionEnrolment(), { ...row, institution: InstitutionRef.of(row.institutionId) });
  }
}

@ObjectType({
  description:
    'A page of InstitutionEnrolment items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class InstitutionEnrolmentConnection extends Connection(InstitutionEnrolment, 'InstitutionEnrolment') {}

@ObjectType({ description: 'A new enrolment. The code is shown this once, to hand to the institution; it never names or reveals a key.' })
export class IssuedInstitutionEnrolment {
  @Field(() => InstitutionEnrolment, { description: "The enrolment's record (without the code)." })
  enrolment: InstitutionEnrolment;

  @Field({ description: 'The one-time code (wse_…) the institution redeems at POST /api-keys/enrol before expiresAt.' })
  code: string;
}

@ArgsType()
export class InstitutionEnrolmentsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only the enrolments of this institution.' })
  institutionId?: string | null;

  @Field(() => InstitutionEnrolmentState, { nullable: true, description: 'Only enrolments in this state.' })
  state?: InstitutionEnrolmentState | null;
}

export enum ApiKeyAuditKind {
  ENROLMENT_ISSUED = 'ENROLMENT_ISSUED',
  ENROLMENT_CANCELLED = 'ENROLMENT_CANCELLED',
  ENROLMENT_REDEEMED = 'ENROLMENT_REDEEMED',
  KEY_ROTATED = 'KEY_ROTATED',
  KEY_REVOKED = 'KEY_REVOKED',
  /** Personal data read unmasked through a key (a notice with the resident's name). */
  UNMASKED_READ = 'UNMASKED_READ',
}
registerEnumType(ApiKeyAuditKind, {
  name: 'ApiKeyAuditKind',
  valuesMap: {
    ENROLMENT_ISSUED: { description: 'Staff issued an enrolment code for an institution.' },
    ENROLMENT_CANCELLED: { description: 'Staff cancelled an enrolment before it was redeemed.' },
    ENROLMENT_REDEEMED: { description: 'The institution redeemed an enrolment code for a key.' },
    KEY_ROTATED: { description: 'The institution replaced its key with a new one.' },
    KEY_REVOKED: { description: 'A key was revoked.' },
    UNMASKED_READ: { description: "Personal data was read unmasked through a key (a notice with the resident's name)." },
  },
  description: 'What an entry of the API-key audit trail records.',
});

export interface ApiKeyAuditRow {
  id: string;
  occurredAt: Date;
  kind: ApiKeyAuditKind;
  institutionId: string;
  apiKeyId: string | null;
  enrolmentId: string | null;
  issuedBy: string | null;
  actor: string;
  entity: string | null;
  entityIds: string[] | null;
}

@ObjectType({ description: "Something done with an institution's enrolment or key, or a read of personal data through a key." })
export class ApiKeyAuditEvent {
  @Field(() => ID, { description: 'Stable id of the audit entry.' })
  id: string;

  @Field({ description: 'When it happened (ISO 8601 timestamp).' })
  occurredAt: Date;

  @Field(() => ApiKeyAuditKind, { description: 'What happened.' })
  kind: ApiKeyAuditKind;

  @Field(() => InstitutionRef, { description: 'The institution concerned.' })
  institution: InstitutionRef;

  @Field(() => ID, { nullable: true, description: 'The key concerned, if any.' })
  apiKeyId: string | null;

  @Field(() => ID, { nullable: true, description: 'The enrolment concerned, if any.' })
  enrolmentId: string | null;

  @Field(() => String, { nullable: true, description: 'The member of staff who issued the enrolment code behind the key.' })
  issuedBy: string | null;

  @Field({ description: 'Who acted: a member of staff, enrolment:<id> for a redemption, api-key:<prefix> for the institution.' })
  actor: string;

  @Field(() => String, { nullable: true, description: 'For UNMASKED_READ: the kind of record read, e.g. Notice.' })
  entity: string | null;

  @Field(() => [ID], { nullable: true, description: 'For UNMASKED_READ: the records read.' })
  entityIds: string[] | null;

  static from(row: ApiKeyAuditRow): ApiKeyAuditEvent {
    return Object.assign(new ApiKeyAuditEvent(), { ...row, id: String(row.id), institution: InstitutionRef.of(row.institutionId) });
  }
}

@ObjectType({
  description:
    'A page of ApiKeyAuditEvent items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class ApiKeyAuditEventConnection extends Connection(ApiKeyAuditEvent, 'ApiKeyAuditEvent') {}

@ArgsType()
export class ApiKeyAuditEventsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only events of this institution.' })
  institutionId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only events of this key.' })
  apiKeyId?: string | null;

  @Field(() => ApiKeyAuditKind, { nullable: true, description: 'Only events of this kind.' })
  kind?: ApiKeyAuditKind | null;
}
