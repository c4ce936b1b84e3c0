import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Household } from '../households/household.model.js';
import { HouseholdService } from '../households/household.service.js';
import {
  CommitmentLetter,
  GuardianConsentInput,
  RecordCommitmentLetterInput,
  RegisterHouseholdInput,
  Resident,
  ResidentInput,
  UpdateHouseholdInput,
} from './registry.models.js';
import { RegistryService } from './registry.service.js';

@Resolver(() => Household)
export class RegistryResolver {
  constructor(
    private readonly registry: RegistryService,
    private readonly households: HouseholdService,
  ) {}

  @ResolveField(() => [Resident], { description: 'Everyone registered in the household (batched per request).' })
  residents(@Parent() household: Household, @Context() context: RequestContext): Promise<Resident[]> {
    const loader = requestLoader<Resident[]>(context, 'ResidentsOfHousehold', (ids) => this.registry.residentsOf(context.caller, ids));
    return loader.load(household.id) as Promise<Resident[]>;
  }

  @ResolveField(() => [CommitmentLetter], { description: 'Signed commitment letters, newest first.' })
  commitmentLetters(@Parent() household: Household, @Context() context: RequestContext): Promise<CommitmentLetter[]> {
    const loader = requestLoader<CommitmentLetter[]>(context, 'LettersOfHousehold', (ids) => this.registry.lettersOf(ids));
    return loader.load(household.id) as Promise<CommitmentLetter[]>;
  }

  @Mutation(() => Household, { description: 'Registers a household at a flat of a compound in your territory.' })
  async registerHousehold(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The compound, the flat, tenure and property company.' }) input: RegisterHouseholdInput,
  ): Promise<Household> {
    input.compoundId = requireUuid(input.compoundId, 'compoundId');
    if (input.propertyCompanyId) input.propertyCompanyId = requireUuid(input.propertyCompanyId, 'propertyCompanyId');
    return this.households.get(caller, await this.registry.registerHousehold(caller, input));
  }

  @Mutation(() => Household, { description: "Changes a household's tenure, flat, compound or property company; returns the household." })
  async updateHousehold(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The household's id." }, ParseUuidPipe) id: string,
    @Args('input', { description: 'The fields to change; omitted ones keep their value.' }) input: UpdateHouseholdInput,
  ): Promise<Household> {
    if (input.propertyCompanyId) input.propertyCompanyId = requireUuid(input.propertyCompanyId, 'propertyCompanyId');
    if (input.compoundId) input.compoundId = requireUuid(input.compoundId, 'compoundId');
    await this.registry.updateHousehold(caller, id, input);
    return this.households.get(caller, id);
  }

  @Mutation(() => ID, {
    description:
      'Removes a household registered by mistake, with its residents and commitment letters; its published grades stay. ' +
      'A household with evidence (inspections, check-ins) is CONFLICT / HAS_EVIDENCE. Returns the removed id. ' +
      'Cases already opened against it stay; new ones are refused.',
  })
  async removeHousehold(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The household's id." }, ParseUuidPipe) id: string,
  ): Promise<string> {
    await this.registry.removeHousehold(caller, id);
    return id;
  }

  @Mutation(() => Household, { description: 'Adds a resident; returns the household with its residents.' })
  async addResident(
    @CurrentCaller() caller: Caller,
    @Args('householdId', { type: () => ID, description: "The household's id." }, ParseUuidPipe) householdId: string,
    @Args('input', { description: "The resident's details." }) input: ResidentInput,
  ): Promise<Household> {
    validateIds(input);
    await this.registry.addResident(caller, householdId, input);
    return this.households.get(caller, householdId);
  }

  @Mutation(() => Household, { description: "Replaces a resident's details; returns the household with its residents." })
  async updateResident(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The resident's id." }, ParseUuidPipe) id: string,
    @Args('input', { description: "The resident's new details (all of them)." }) input: ResidentInput,
  ): Promise<Household> {
    validateIds(input);
    return this.households.get(caller, await this.registry.updateResident(caller, id, input));
  }

  @Mutation(() => Household, {
    description: 'Removes a resident registered by mistake or moved out; returns the household with its residents.',
  })
  async removeResident(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The resident's id." }, ParseUuidPipe) id: string,
  ): Promise<Household> {
    return this.households.get(caller, await this.registry.removeResident(caller, id));
  }

  @Mutation(() => Household, {
    description:
      "Records a guardian's consent to notices about a minor to their school (replacing one on record). Only for a resident under 18.",
  })
  async recordGuardianConsent(
    @CurrentCaller() caller: Caller,
    @Args('residentId', { type: () => ID, description: 'The minor resident.' }, ParseUuidPipe) residentId: string,
    @Args('input', { description: "The guardian's name, relation and phone." }) input: GuardianConsentInput,
  ): Promise<Household> {
    return this.households.get(caller, await this.registry.recordGuardianConsent(caller, residentId, input));
  }

  @Mutation(() => Household, { description: "Withdraws a guardian's consent: no notice about the minor is made from now on." })
  async withdrawGuardianConsent(
    @CurrentCaller() caller: Caller,
    @Args('residentId', { type: () => ID, description: 'The minor resident.' }, ParseUuidPipe) residentId: string,
  ): Promise<Household> {
    return this.households.get(caller, await this.registry.withdrawGuardianConsent(caller, residentId));
  }

  @Mutation(() => Household, { description: 'Records a signed commitment letter. Retries with the same idempotencyKey record it once.' })
  async recordCommitmentLetter(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The household, the signer, the day and the photo.' }) input: RecordCommitmentLetterInput,
    @Args('idempotencyKey', { description: 'Send the same key on every retry: the letter is recorded once.' }) idempotencyKey: string,
  ): Promise<Household> {
    input.householdId = requireUuid(input.householdId, 'householdId');
    input.signerResidentId = requireUuid(input.signerResidentId, 'signerResidentId');
    if (input.photoId) input.photoId = requireUuid(input.photoId, 'photoId');
    await this.registry.recordCommitmentLetter(caller, input, idempotencyKey);
    return this.households.get(caller, input.householdId);
  }
}

function validateIds(input: ResidentInput): void {
  if (input.institutionId) input.institutionId = requireUuid(input.institutionId, 'institutionId');
  if (input.partyMemberId) input.partyMemberId = requireUuid(input.partyMemberId, 'partyMemberId');
}
