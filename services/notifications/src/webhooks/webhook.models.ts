import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { InstitutionRef } from '#libs/references';

export enum WebhookEndpointState {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}

registerEnumType(WebhookEndpointState, {
  name: 'WebhookEndpointState',
  description: 'Whether an endpoint receives deliveries.',
  valuesMap: {
    ACTIVE: { description: 'Receives the notices generated from now on.' },
    DISABLED: {
      description: 'Receives nothing: disabled by the institution, or after it answered 410 Gone. enableWebhookEndpoint turns it back on.',
    },
  },
});

export enum WebhookDeliveryState {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(WebhookDeliveryState, {
  name: 'WebhookDeliveryState',
  description: 'Where a webhook delivery is: pending, succeeded or failed for good.',
  valuesMap: {
    PENDING: { description: 'Not sent yet, or failed and waiting for its next retry.' },
    SUCCEEDED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Every retry failed (about 3 days), or the endpoint answered 410 Gone or was disabled.' },
    CANCELLED: { description: 'Never sent: its notice was withdrawn (a corrected grade) before any attempt was made.' },
  },
});

@ObjectType({ description: 'A signing secret of an endpoint, as lists show it: never the secret itself.' })
export class WebhookSecretInfo {
  @Field({ description: 'The start of the secret (whsec_ and four characters), to tell secrets apart.' })
  prefix: string;

  @Field({ description: 'When the secret was made (ISO 8601 timestamp).' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'Set once the secret was rotated: it still signs deliveries until then.' })
  expiresAt: Date | null;
}

export interface WebhookEndpointRow {
  id: string;
  institutionId: string;
  url: string;
  description: string | null;
  state: WebhookEndpointState;
  disabledReason: string | null;
  disabledAt: Date | null;
  createdAt: Date;
}

@ObjectType({ description: "An institution's URL that receives its notices as signed webhooks (Standard Webhooks)." })
export class WebhookEndpoint {
  @Field(() => ID, { description: 'Stable id of the endpoint.' })
  id: string;

  @Field(() => InstitutionRef, { description: 'The institution that registered it.' })
  institution: InstitutionRef;

  @Field({ description: 'The https URL deliveries are POSTed to.' })
  url: string;

  @Field(() => String, { nullable: true, description: "The institution's own note about the endpoint." })
  description: string | null;

  @Field(() => WebhookEndpointState, { description: 'ACTIVE or DISABLED.' })
  state: WebhookEndpointState;

  @Field(() => String, { nullable: true, description: 'Why it is DISABLED.' })
  disabledReason: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was disabled.' })
  disabledAt: Date | null;

  @Field({ description: 'When it was registered (ISO 8601 timestamp).' })
  createdAt: Date;

  @Field(() => [WebhookSecretInfo], {
    description: 'Secrets that sign its deliveries now (more than one during a rotation overlap), newest first.',
  })
  secrets: WebhookSecretInfo[];

  static from(row: WebhookEndpointRow, secrets: WebhookSecretInfo[]): WebhookEndpoint {
    const { institutionId, ...rest } = row;
    return Object.assign(new WebhookEndpoint(), { ...rest, institution: InstitutionRef.of(institutionId), secrets });
  }
}

@ObjectType({
  description:
    'A page of WebhookEndpoint items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class WebhookEndpointConnection extends Connection(WebhookEndpoint, 'WebhookEndpoint') {}

@ObjectType({ description: 'A new endpoint and its signing secret. The secret is shown this once: store it now.' })
export class RegisteredWebhookEndpoint {
  @Field(() => WebhookEndpoint, { description: 'The endpoint registered.' })
  endpoint: WebhookEndpoint;

  @Field({ description: 'whsec_… : verify deliveries with it (e.g. the standardwebhooks library).' })
  secret: string;
}

@ObjectType({ description: 'A new signing secret, shown this once. Until previousSecretExpiresAt deliveries carry both signatures.' })
export class RotatedWebhookSecret {
  @Field(() => WebhookEndpoint, { description: 'The endpoint whose secret was rotated.' })
  endpoint: WebhookEndpoint;

  @Field({ description: 'The new secret (whsec_…), shown this once: verify deliveries with it.' })
  secret: string;

  @Field(() => Date, { nullable: true, description: 'Until when the previous secret still signs deliveries.' })
  previousSecretExpiresAt: Date | null;
}

@ObjectType({ description: 'One request made for a delivery.' })
export class WebhookAttempt {
  @Field({ description: 'When the attempt was made (ISO 8601 timestamp).' })
  attemptedAt: Date;

  @Field(() => Int, { nullable: true, description: 'The HTTP status answered; null when none came.' })
  httpStatus: number | null;

  @Field(() => String, { nullable: true, description: 'What went wrong (HTTP status, connection error, timeout, address refused).' })
  error: string | null;

  @Field(() => Int, { description: 'How long the attempt took, in milliseconds.' })
  durationMs: number;

  @Field({ description: 'Made because the institution asked for a replay.' })
  replay: boolean;
}

export interface WebhookDeliveryRow {
  id: string;
  webhookId: string;
  type: string;
  month: string;
  noticeIds: string[];
  disclosureId: string | null;
  endpointId: string;
  url: string;
  state: WebhookDeliveryState;
  attemptCount: number;
  nextAttemptAt: Date | null;
  replayRequested: boolean;
  lastStatus: number | null;
  lastError: string | null;
  succeededAt: Date | null;
  createdAt: Date;
}

@ObjectType({ description: 'A webhook message on its way to one endpoint, with every attempt.' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'Stable id of the delivery.' })
  id: string;

  @Field({ description: 'The webhook-id header: the same on every attempt and replay, to dedupe by.' })
  webhookId: string;

  @Field({
    description:
      'notice.created, or notice.digest for institutions that chose a monthly digest; notice.withdrawn when a notice it may have seen was withdrawn; for media outlets disclosure.published and disclosure.withdrawn.',
  })
  type: string;

  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => [ID], { description: 'The notices it announces (fetch them with notice(id) or myNotices); empty for a disclosure.' })
  noticeIds: string[];

  @Field(() => ID, { nullable: true, description: 'The public disclosure it announces (fetch it with mediaDisclosure(id)).' })
  disclosureId: string | null;

  @Field(() => ID, { description: 'The endpoint it goes to.' })
  endpointId: string;

  @Field({ description: "The URL it was sent to (the endpoint's at the time)." })
  url: string;

  @Field(() => WebhookDeliveryState, { description: 'Where the delivery is.' })
  state: WebhookDeliveryState;

  @Field(() => Int, { description: 'Scheduled attempts made (replays not counted).' })
  attemptCount: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due, while PENDING or a replay is asked for.' })
  nextAttemptAt: Date | null;

  @Field({ description: 'True while a replay the institution asked for waits to be sent.' })
  replayRequested: boolean;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the latest attempt; null when none came.' })
  lastStatus: number | null;

  @Field(() => String, { nullable: true, description: 'What went wrong in the latest attempt, if it failed.' })
  lastError: string | null;

  @Field(() => Date, { nullable: true, description: 'When an attempt first succeeded.' })
  succeededAt: Date | null;

  @Field({ description: 'When the delivery was created (ISO 8601 timestamp).' })
  createdAt: Date;

  @Field(() => [WebhookAttempt], { description: 'Oldest first (the latest 100).' })
  attempts: WebhookAttempt[];

  static from(row: WebhookDeliveryRow, attempts: WebhookAttempt[]): WebhookDelivery {
    return Object.assign(new WebhookDelivery(), { ...row, attempts });
  }
}

@ObjectType({
  description:
    'A page of WebhookDelivery items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class WebhookDeliveryConnection extends Connection(WebhookDelivery, 'WebhookDelivery') {}

@ArgsType()
export class WebhookDeliveriesArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only deliveries to this endpoint.' })
  endpointId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only deliveries announcing this notice.' })
  noticeId?: string | null;

  @Field(() => WebhookDeliveryState, { nullable: true, description: 'Only deliveries in this state.' })
  state?: WebhookDeliveryState | null;
}

@ObjectType({ description: "An institution's choices for webhook delivery." })
export class WebhookPreferences {
  @Field({ description: 'A month’s notices go out as one notice.digest message instead of one notice.created each.' })
  noticeDigest: boolean;

  @Field(() => Date, { nullable: true, description: 'When the choices last changed; null when never set.' })
  updatedAt: Date | null;
}

@ObjectType({ description: 'Webhook delivery health of one institution over the period asked for (staff).' })
export class InstitutionWebhookHealth {
  @Field(() => InstitutionRef, { description: 'The institution.' })
  institution: InstitutionRef;

  @Field(() => Int, { description: 'Its ACTIVE endpoints.' })
  activeEndpoints: number;

  @Field(() => Int, { description: 'Its DISABLED endpoints.' })
  disabledEndpoints: number;

  @Field(() => Int, { description: 'Deliveries in the period still PENDING.' })
  pending: number;

  @Field(() => Int, { description: 'Deliveries in the period that SUCCEEDED.' })
  succeeded: number;

  @Field(() => Int, { description: 'Deliveries in the period that FAILED for good.' })
  failed: number;

  @Field(() => Date, { nullable: true, description: 'When a delivery to it was last attempted.' })
  lastAttemptAt: Date | null;
}

@ObjectType({
  description:
    'A page of InstitutionWebhookHealth items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class InstitutionWebhookHealthConnection extends Connection(InstitutionWebhookHealth, 'InstitutionWebhookHealth') {}

@ArgsType()
export class WebhookHealthArgs extends PageArgs {
  @Field(() => Int, { nullable: true, description: 'Deliveries created in the last this many days (1–366, default 30).' })
  days?: number | null;
}
