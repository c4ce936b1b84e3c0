import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission, hasPermission, requirePermission, type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import type { ConnectionShape } from '#libs/pagination';
import { CurrentCaller, ParseUuidPipe, requireUuid } from '#libs/platform';
import { InstitutionApiKey, InstitutionApiKeyConnection, InstitutionApiKeysArgs, IssuedApiKey } from './api-key.models.js';
import { ApiKeyService, DEFAULT_ROTATION_OVERLAP_HOURS } from './api-key.service.js';

/** Staff manage every institution's keys; an institution, calling with a key, its own. */
function requireKeyManagement(caller: Caller): void {
  if (!hasPermission(caller, Permission.API_KEY_MANAGE) && !hasPermission(caller, Permission.INSTITUTION_SELF_SERVICE)) {
    throw DomainError.forbidden(`Your role does not allow ${Permission.API_KEY_MANAGE}`, 'MISSING_PERMISSION');
  }
}

@Resolver(() => InstitutionApiKey)
export class ApiKeyResolver {
  constructor(private readonly apiKeys: ApiKeyService) {}

  @Mutation(() => IssuedApiKey, { description: 'Issues an API key to an institution. The secret is in this answer only.' })
  createInstitutionApiKey(
    @CurrentCaller() caller: Caller,
    @Args('institutionId', { type: () => ID }, ParseUuidPipe) institutionId: string,
    @Args('label', { description: 'What the key is for, e.g. 教务系统.' }) label: string,
  ): Promise<IssuedApiKey> {
    requirePermission(caller, Permission.API_KEY_MANAGE);
    return this.apiKeys.create(caller, institutionId, label);
  }

  @Mutation(() => IssuedApiKey, { description: `Replaces a key with a new one; the old key keeps working for overlapHours (default ${DEFAULT_ROTATION_OVERLAP_HOURS}).` })
  rotateInstitutionApiKey(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID }, ParseUuidPipe) id: string,
    @Args('overlapHours', { type: () => Int, nullable: true }) overlapHours: number | null,
  ): Promise<IssuedApiKey> {
    requireKeyManagement(caller);
    return this.apiKeys.rotate(caller, id, overlapHours ?? DEFAULT_ROTATION_OVERLAP_HOURS);
  }

  @Mutation(() => InstitutionApiKey, { description: 'Stops a key at once.' })
  revokeInstitutionApiKey(@CurrentCaller() caller: Caller, @Args('id', { type: () => ID }, ParseUuidPipe) id: string): Promise<InstitutionApiKey> {
    requireKeyManagement(caller);
    return this.apiKeys.revoke(caller, id);
  }

  @Query(() => InstitutionApiKeyConnection, { description: 'An institution’s keys, newest first (prefixes only).' })
  institutionApiKeys(@CurrentCaller() caller: Caller, @Args() args: InstitutionApiKeysArgs): Promise<ConnectionShape<InstitutionApiKey>> {
    requireKeyManagement(caller);
    if (args.institutionId) args.institutionId = requireUuid(args.institutionId, 'institutionId');
    return this.apiKeys.list(caller, args);
  }
}
