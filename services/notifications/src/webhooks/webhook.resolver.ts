import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { PageArgs, type ConnectionShape } from '#libs/pagination';
import { CurrentCaller, ParseUuidPipe, requireUuid } from '#libs/platform';
import {
  InstitutionWebhookHealthConnection,
  RegisteredWebhookEndpoint,
  RotatedWebhookSecret,
  WebhookDeliveriesArgs,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookEndpoint,
  WebhookEndpointConnection,
  WebhookHealthArgs,
  WebhookPreferences,
  type InstitutionWebhookHealth,
} from './webhook.models.js';
import { DEFAULT_SECRET_OVERLAP_HOURS, WebhookService } from './webhook.service.js';

/** Webhooks for institutions calling with their API key (their own endpoints and deliveries only), and a health view for staff. */
@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  constructor(private readonly webhooks: WebhookService) {}

  @Mutation(() => RegisteredWebhookEndpoint, {
    description:
      'Registers a URL that receives your notices as signed webhooks (Standard Webhooks). The signing secret is in this answer only. Notices generated from now on are sent to it.',
  })
  registerWebhookEndpoint(
    @CurrentCaller() caller: Caller,
    @Args('url', { description: 'https://… (public addresses only)' }) url: string,
    @Args('description', { type: () => String, nullable: true, description: 'Your own note about the endpoint, up to 200 characters.' })
    description: string | null | undefined,
  ): Promise<RegisteredWebhookEndpoint> {
    return this.webhooks.register(caller, url, description);
  }

  @Query(() => WebhookEndpointConnection, { description: 'Your webhook endpoints, newest first (secret prefixes only).' })
  webhookEndpoints(@CurrentCaller() caller: Caller, @Args() args: PageArgs): Promise<ConnectionShape<WebhookEndpoint>> {
    return this.webhooks.listEndpoints(caller, args);
  }

  @Mutation(() => RotatedWebhookSecret, {
    description: `A new signing secret (shown once). The old one keeps signing for overlapHours (default ${DEFAULT_SECRET_OVERLAP_HOURS}): meanwhile every delivery carries both signatures.`,
  })
  rotateWebhookSecret(
    @CurrentCaller() caller: Caller,
    @Args('endpointId', { type: () => ID, description: "The endpoint's id (one of yours)." }, ParseUuidPipe) endpointId: string,
    @Args('overlapHours', {
      type: () => Int,
      nullable: true,
      description: "Hours the old secret keeps signing beside the new one (default in the mutation's description).",
    })
    overlapHours: number | null,
  ): Promise<RotatedWebhookSecret> {
    return this.webhooks.rotateSecret(caller, endpointId, overlapHours ?? DEFAULT_SECRET_OVERLAP_HOURS);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Stops sending to an endpoint; its pending deliveries fail.' })
  disableWebhookEndpoint(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The endpoint's id." }, ParseUuidPipe) id: string,
  ): Promise<WebhookEndpoint> {
    return this.webhooks.disable(caller, id);
  }

  @Mutation(() => WebhookEndpoint, {
    description: 'Turns an endpoint back on (e.g. after it answered 410 Gone): it receives notices generated from now on.',
  })
  enableWebhookEndpoint(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The endpoint's id." }, ParseUuidPipe) id: string,
  ): Promise<WebhookEndpoint> {
    return this.webhooks.enable(caller, id);
  }

  @Query(() => WebhookDeliveryConnection, { description: 'Your webhook deliveries, newest first, with every attempt.' })
  webhookDeliveries(@CurrentCaller() caller: Caller, @Args() args: WebhookDeliveriesArgs): Promise<ConnectionShape<WebhookDelivery>> {
    if (args.endpointId) args.endpointId = requireUuid(args.endpointId, 'endpointId');
    if (args.noticeId) args.noticeId = requireUuid(args.noticeId, 'noticeId');
    return this.webhooks.listDeliveries(caller, args);
  }

  @Mutation(() => WebhookDelivery, { description: 'Sends a delivery’s message again now, with the same webhook-id, whatever its state.' })
  replayWebhookDelivery(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The delivery's id." }, ParseUuidPipe) id: string,
  ): Promise<WebhookDelivery> {
    return this.webhooks.replay(caller, id);
  }

  @Query(() => WebhookPreferences, { description: 'Your webhook choices.' })
  webhookPreferences(@CurrentCaller() caller: Caller): Promise<WebhookPreferences> {
    return this.webhooks.preferences(caller);
  }

  @Mutation(() => WebhookPreferences, {
    description:
      'On: each month’s notices come as one notice.digest message listing them, instead of one notice.created message each (from the next notices generated).',
  })
  setNoticeDigest(
    @CurrentCaller() caller: Caller,
    @Args('enabled', { description: 'True for one monthly notice.digest message; false for one notice.created per notice.' })
    enabled: boolean,
  ): Promise<WebhookPreferences> {
    return this.webhooks.setNoticeDigest(caller, enabled);
  }

  @Query(() => InstitutionWebhookHealthConnection, {
    description:
      'Staff: webhook delivery health per institution with endpoints (endpoints, recent deliveries by state), most failures first.',
  })
  webhookDeliveryHealth(@Args() args: WebhookHealthArgs): Promise<ConnectionShape<InstitutionWebhookHealth>> {
    return this.webhooks.health(args);
  }
}
