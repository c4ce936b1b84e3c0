import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission, hasPermission, type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import type { ConnectionShape } from '#libs/pagination';
import { CurrentCaller, ParseUuidPipe, requireUuid } from '#libs/platform';
import { ApiKeyAudit } from './api-key-audit.js';
import {
  ApiKeyAuditEvent,
  ApiKeyAuditEventConnection,
  ApiKeyAuditEventsArgs,
  InstitutionApiKey,
  InstitutionApiKeyConnection,
  InstitutionApiKeysArgs,
  InstitutionEnrolment,
  InstitutionEnrolmentConnection,
  InstitutionEnrolmentsArgs,
  IssuedApiKey,
  IssuedInstitutionEnrolment,
} from './api-key.models.js';
import { ApiKeyService, DEFAULT_ROTATION_OVERLAP_HOURS } from './api-key.service.js';
import { DEFAULT_ENROLMENT_HOURS, InstitutionEnrolmentService } from './institution-enrolment.service.js';

/** Staff list and revoke every institution's keys; an institution, calling with a key, its own. */
function requireKeyManagement(caller: Caller): void {
  if (!hasPermission(caller, Permission.API_KEY_MANAGE) && !hasPermission(caller, Permission.INSTITUTION_SELF_SERVICE)) {
    throw DomainError.forbidden(`Your role does not allow ${Permission.API_KEY_MANAGE}`, 'MISSING_PERMISSION');
  }
}

/**
 * Institutions' API keys. No operation answers a key's secret to staff: staff issue enrolment codes, and only the
 * institution (redeeming a code, or rotating its own key) is ever answered a secret.
 */
@Resolver(() => InstitutionApiKey)
export class ApiKeyResolver {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly enrolments: InstitutionEnrolmentService,
    private readonly audit: ApiKeyAudit,
  ) {}

  @Mutation(() => IssuedInstitutionEnrolment, {
    description:
      "Issues a one-time enrolment code for an institution's contact, who redeems it at POST /api-keys/enrol for the API key. The code is in this answer only; no key exists until it is redeemed.",
  })
  issueInstitutionEnrolment(
    @CurrentCaller() caller: Caller,
    @Args('institutionId', { type: () => ID, description: 'The institution (an employer or school).' }, ParseUuidPipe)
    institutionId: string,
    @Args('label', { description: 'What the key will be for, e.g. 教务系统.' }) label: string,
    @Args('contactName', { description: 'Who the code is handed to.' }) contactName: string,
    @Args('contactPhone', {
      type: () => String,
      nullable: true,
      description: "The contact's phone, kept until the code is redeemed or cancelled.",
    })
    contactPhone: string | null,
    @Args('expiresInHours', { type: () => Int, nullable: true, description: `Default ${DEFAULT_ENROLMENT_HOURS}.` })
    expiresInHours: number | null,
  ): Promise<IssuedInstitutionEnrolment> {
    return this.enrolments.issue(caller, { institutionId, label, contactName, contactPhone, expiresInHours });
  }

  @Mutation(() => InstitutionEnrolment, { description: 'Closes an enrolment that was not redeemed: its code stops working.' })
  cancelInstitutionEnrolment(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The enrolment's id; it must be OPEN." }, ParseUuidPipe) id: string,
  ): Promise<InstitutionEnrolment> {
    return this.enrolments.cancel(caller, id);
  }

  @Query(() => InstitutionEnrolmentConnection, { description: 'Enrolments, newest first (never their codes).' })
  institutionEnrolments(
    @CurrentCaller() caller: Caller,
    @Args() args: InstitutionEnrolmentsArgs,
  ): Promise<ConnectionShape<InstitutionEnrolment>> {
    if (args.institutionId) args.institutionId = requireUuid(args.institutionId, 'institutionId');
    return this.enrolments.list(caller, args);
  }

  @Mutation(() => IssuedApiKey, {
    description: `The institution replaces its own key with a new one (answered to it alone); the old key keeps working for overlapHours (default ${DEFAULT_ROTATION_OVERLAP_HOURS}).`,
  })
  rotateInstitutionApiKey(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: 'The key to replace: one of your own, active.' }, ParseUuidPipe) id: string,
    @Args('overlapHours', {
      type: () => Int,
      nullable: true,
      description: "Hours the old key keeps working beside the new one (default and bounds in the mutation's description).",
    })
    overlapHours: number | null,
  ): Promise<IssuedApiKey> {
    return this.apiKeys.rotate(caller, id, overlapHours ?? DEFAULT_ROTATION_OVERLAP_HOURS);
  }

  @Mutation(() => InstitutionApiKey, { description: 'Stops a key at once, and the keys rotated from it unless cascade is false.' })
  revokeInstitutionApiKey(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The key's id." }, ParseUuidPipe) id: string,
    @Args('cascade', { type: () => Boolean, nullable: true, description: 'Also revoke the keys rotated from this one (default true).' })
    cascade: boolean | null,
  ): Promise<InstitutionApiKey> {
    requireKeyManagement(caller);
    return this.apiKeys.revoke(caller, id, cascade ?? true);
  }

  @Query(() => InstitutionApiKeyConnection, { description: 'An institution’s keys, newest first (prefixes only).' })
  institutionApiKeys(@CurrentCaller() caller: Caller, @Args() args: InstitutionApiKeysArgs): Promise<ConnectionShape<InstitutionApiKey>> {
    requireKeyManagement(caller);
    if (args.institutionId) args.institutionId = requireUuid(args.institutionId, 'institutionId');
    return this.apiKeys.list(caller, args);
  }

  @Query(() => ApiKeyAuditEventConnection, {
    description: 'Enrolments issued, cancelled and redeemed, keys rotated and revoked, and personal data read through keys: newest first.',
  })
  apiKeyAuditEvents(@Args() args: ApiKeyAuditEventsArgs): Promise<ConnectionShape<ApiKeyAuditEvent>> {
    if (args.institutionId) args.institutionId = requireUuid(args.institutionId, 'institutionId');
    if (args.apiKeyId) args.apiKeyId = requireUuid(args.apiKeyId, 'apiKeyId');
    return this.audit.list(args);
  }
}
