import { Args, Context, ID, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import type { ConnectionShape } from '#libs/pagination';
import { type Caller } from '#libs/auth';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { CampaignState } from './campaign-enums.js';
import { CampaignJointActionsArgs, CampaignTargetsInput, CampaignsArgs, CreateCampaignInput } from './campaign.inputs.js';
import { CampaignReport } from './campaign-report.js';
import { JointActionConnection, type JointAction } from '../joint-actions/joint-action.models.js';
import { Campaign, CampaignConnection } from './campaign.model.js';
import { CampaignService } from './campaign.service.js';

@Resolver(() => Campaign)
export class CampaignResolver {
  constructor(private readonly campaignService: CampaignService) {}

  @Query(() => Campaign, { description: 'One campaign that concerns your territory (NOT_FOUND otherwise).' })
  campaign(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The campaign's id." }, ParseUuidPipe) id: string,
  ): Promise<Campaign> {
    return this.campaignService.get(caller, id);
  }

  @Query(() => CampaignConnection, { description: 'Campaigns that concern your territory, ordered by start date.' })
  campaigns(@CurrentCaller() caller: Caller, @Args() args: CampaignsArgs): Promise<CampaignConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.campaignService.list(caller, args);
  }

  @Mutation(() => Campaign, { description: 'Creates a campaign in state DRAFT.' })
  createCampaign(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'What the campaign is, when it runs, where, and with which bureaus.' }) input: CreateCampaignInput,
  ): Promise<Campaign> {
    input.targetUnitIds = input.targetUnitIds.map((id) => requireUuid(id, 'targetUnitIds'));
    input.participatingBureauIds = input.participatingBureauIds.map((id) => requireUuid(id, 'participatingBureauIds'));
    if (input.leadBureauId) input.leadBureauId = requireUuid(input.leadBureauId, 'leadBureauId');
    return this.campaignService.create(caller, input);
  }

  @Mutation(() => Campaign, { description: 'Moves a campaign one step: DRAFT → SCHEDULED → ACTIVE → COMPLETED → REPORTED.' })
  changeCampaignState(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The campaign's id." }, ParseUuidPipe) id: string,
    @Args('state', {
      type: () => CampaignState,
      description: 'The next state: only the one step after the current state is accepted (CONFLICT otherwise).',
    })
    state: CampaignState,
  ): Promise<Campaign> {
    return this.campaignService.changeState(caller, id, state);
  }

  @Mutation(() => Campaign, {
    description:
      "Sets a campaign's own targets (waste streams, goal pass rate, joint actions per street and quarter) until it is COMPLETED (CONFLICT CAMPAIGN_CLOSED).",
  })
  setCampaignTargets(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The campaign's id." }, ParseUuidPipe) id: string,
    @Args('input', { description: 'The new targets; they replace the old ones entirely.' }) input: CampaignTargetsInput,
  ): Promise<Campaign> {
    return this.campaignService.setTargets(caller, id, input);
  }

  @ResolveField(() => JointActionConnection, { description: "The campaign's joint actions that concern your territory, by start time." })
  async jointActions(
    @Parent() campaign: Campaign,
    @Args() args: CampaignJointActionsArgs,
    @Context() context: RequestContext,
  ): Promise<JointActionConnection> {
    // One statement per page of campaigns asking for the same page of actions.
    const batch = JSON.stringify([args.first ?? null, args.after ?? null, args.status ?? null]);
    const loader = requestLoader<ConnectionShape<JointAction>>(context, `Campaign.jointActions:${batch}`, (ids) =>
      this.campaignService.jointActionsOf(context.caller, ids, args),
    );
    return (await loader.load(campaign.id))!;
  }

  @ResolveField(() => CampaignReport, { description: '活动总结: live figures until the campaign is REPORTED, frozen from then on.' })
  async report(@Parent() campaign: Campaign, @Context() context: RequestContext): Promise<CampaignReport> {
    const loader = requestLoader<CampaignReport>(context, 'Campaign.report', (ids) => this.campaignService.reports(ids));
    return (await loader.load(campaign.id))!;
  }

  /** Batched; campaigns that do not concern the caller's territory resolve to null. */
  @ResolveReference()
  resolveReference(@Parent() reference: { id: string }, @Context() context: RequestContext): Promise<Campaign | null> {
    const loader = requestLoader<Campaign>(context, 'Campaign', (ids) => this.campaignService.findVisible(context.caller, ids));
    return loader.load(reference.id);
  }
}
