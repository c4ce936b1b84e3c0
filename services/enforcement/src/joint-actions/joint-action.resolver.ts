import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { InstitutionRef, OrgUnitRef } from '#libs/references';
import { BureauCalendarService } from './bureau-calendar.service.js';
import {
  ActionFinding,
  BureauCalendarFeed,
  BureauRemit,
  EnforcementOfficer,
  EnforcementTeam,
  HoldJointActionInput,
  JointAction,
  JointActionConnection,
  JointActionRevision,
  JointActionsArgs,
  RecordActionFindingInput,
  ScheduleJointActionInput,
} from './joint-action.models.js';
import { JointActionService } from './joint-action.service.js';
import { QuarterCoverageArgs, QuarterCoverageService, StreetQuarterCoverageConnection } from './quarter-coverage.js';

@Resolver(() => JointAction)
export class JointActionResolver {
  constructor(
    private readonly actions: JointActionService,
    private readonly calendars: BureauCalendarService,
    private readonly coverage: QuarterCoverageService,
  ) {}

  @Query(() => StreetQuarterCoverageConnection, {
    description:
      '季度管执联动覆盖: each street of your territory in a quarter, the joint actions it must hold and has held, by street name. ' +
      'A quarter is closed the day after it ends; a street short of its actions then is MISSED, escalated to the district.',
  })
  jointActionCoverage(@CurrentCaller() caller: Caller, @Args() args: QuarterCoverageArgs): Promise<StreetQuarterCoverageConnection> {
    return this.coverage.coverage(caller, args);
  }

  @Query(() => JointAction, { description: 'One joint action that concerns your territory.' })
  jointAction(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The action's id." }, ParseUuidPipe) id: string,
  ): Promise<JointAction> {
    return this.actions.get(caller, id);
  }

  @Query(() => JointActionConnection, { description: 'Joint actions that concern your territory, by start time.' })
  jointActions(@CurrentCaller() caller: Caller, @Args() args: JointActionsArgs): Promise<JointActionConnection> {
    if (args.unitId) args.unitId = requireUuid(args.unitId, 'unitId');
    if (args.bureauId) args.bureauId = requireUuid(args.bureauId, 'bureauId');
    return this.actions.list(caller, args);
  }

  @Mutation(() => JointAction, {
    description:
      'Schedules a joint action. A team, officer or unit (or a unit containing or inside it) already booked in an overlapping window is refused with CONFLICT SCHEDULE_CONFLICT naming that action.',
  })
  scheduleJointAction(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: "The action's title, window, targets, lead bureau, teams and officers." })
    input: ScheduleJointActionInput,
  ): Promise<JointAction> {
    if (input.campaignId) input.campaignId = requireUuid(input.campaignId, 'campaignId');
    input.leadBureauId = requireUuid(input.leadBureauId, 'leadBureauId');
    input.targetUnitIds = input.targetUnitIds.map((id) => requireUuid(id, 'targetUnitIds'));
    input.teamIds = input.teamIds.map((id) => requireUuid(id, 'teamIds'));
    input.officerIds = input.officerIds.map((id) => requireUuid(id, 'officerIds'));
    return this.actions.schedule(caller, input);
  }

  @Mutation(() => JointAction, { description: 'Moves a joint action to a new window; its history keeps the old one.' })
  rescheduleJointAction(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The action's id; it must be SCHEDULED." }, ParseUuidPipe) id: string,
    @Args('startsAt', { description: 'New start of the window (ISO 8601 timestamp).' }) startsAt: Date,
    @Args('endsAt', { description: 'New end of the window: after startsAt, at most 7 days later.' }) endsAt: Date,
    @Args('reason', { description: 'Why it moves, 1–500 characters; kept in the history.' }) reason: string,
  ): Promise<JointAction> {
    return this.actions.reschedule(caller, id, startsAt, endsAt, reason);
  }

  @Mutation(() => JointAction, { description: 'Cancels a joint action, freeing its teams, officers and units.' })
  cancelJointAction(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The action's id; it must be SCHEDULED." }, ParseUuidPipe) id: string,
    @Args('reason', { description: 'Why it is cancelled, 1–500 characters; kept in the history.' }) reason: string,
  ): Promise<JointAction> {
    return this.actions.cancel(caller, id, reason);
  }

  @Mutation(() => JointAction, {
    description:
      'Records a scheduled action as held: when (not in the future: BAD_USER_INPUT ACTION_NOT_YET_HELD), where, who took part from which bureau. Only from SCHEDULED (CONFLICT INVALID_TRANSITION).',
  })
  holdJointAction(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The action's id; it must be SCHEDULED." }, ParseUuidPipe) id: string,
    @Args('input', { description: 'When and where it was held, who took part and what was done.' }) input: HoldJointActionInput,
  ): Promise<JointAction> {
    input.participants = input.participants.map((p) => ({
      bureauId: requireUuid(p.bureauId, 'participants.bureauId'),
      officerIds: p.officerIds.map((o) => requireUuid(o, 'participants.officerIds')),
    }));
    return this.actions.hold(caller, id, input);
  }

  @Mutation(() => JointAction, {
    description:
      'Reports a held action, freezing its figures in `report`. Only from HELD (CONFLICT INVALID_TRANSITION); after it, no more findings.',
  })
  reportJointAction(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The action's id; it must be HELD." }, ParseUuidPipe) id: string,
  ): Promise<JointAction> {
    return this.actions.report(caller, id);
  }

  @Mutation(() => ActionFinding, {
    description:
      'Records what an action found: about a household it becomes an inspection in households; about a property company or unit, a violation candidate. Send the same idempotencyKey on retries: it records once.',
  })
  recordActionFinding(
    @CurrentCaller() caller: Caller,
    @Args('actionId', { type: () => ID, description: 'The action that found it; HELD (not yet REPORTED).' }, ParseUuidPipe)
    actionId: string,
    @Args('input', { description: 'What was found and about whom.' }) input: RecordActionFindingInput,
    @Args('idempotencyKey', { description: 'Send the same key on every retry: the finding is recorded once.' }) idempotencyKey: string,
  ): Promise<ActionFinding> {
    if (input.householdId) input.householdId = requireUuid(input.householdId, 'householdId');
    if (input.propertyCompanyId) input.propertyCompanyId = requireUuid(input.propertyCompanyId, 'propertyCompanyId');
    if (input.orgUnitId) input.orgUnitId = requireUuid(input.orgUnitId, 'orgUnitId');
    input.photoIds = input.photoIds.map((id) => requireUuid(id, 'photoIds'));
    return this.actions.recordFinding(caller, actionId, input, idempotencyKey);
  }

  @Mutation(() => BureauCalendarFeed, {
    description: "Issues a new secret address for the bureau's iCalendar feed; the old one stops working.",
  })
  rotateBureauCalendarToken(
    @CurrentCaller() caller: Caller,
    @Args('bureauId', { type: () => ID, description: 'The bureau (a DEPARTMENT institution).' }, ParseUuidPipe) bureauId: string,
  ): Promise<BureauCalendarFeed> {
    return this.calendars.rotate(caller, bureauId);
  }

  @Mutation(() => BureauRemit, { description: 'District administrators: lets a bureau act in a unit and everything under it.' })
  async grantBureauRemit(
    @CurrentCaller() caller: Caller,
    @Args('bureauId', { type: () => ID, description: 'The bureau (a DEPARTMENT institution).' }, ParseUuidPipe) bureauId: string,
    @Args('orgUnitId', { type: () => ID, description: 'The unit the bureau may act in, with everything under it.' }, ParseUuidPipe)
    orgUnitId: string,
  ): Promise<BureauRemit> {
    await this.actions.grantRemit(caller, bureauId, orgUnitId);
    return Object.assign(new BureauRemit(), { bureau: InstitutionRef.of(bureauId), orgUnit: OrgUnitRef.of(orgUnitId) });
  }

  @Mutation(() => Boolean, { description: 'District administrators: withdraws a remit (existing actions stay).' })
  async revokeBureauRemit(
    @Args('bureauId', { type: () => ID, description: 'The bureau (a DEPARTMENT institution).' }, ParseUuidPipe) bureauId: string,
    @Args('orgUnitId', { type: () => ID, description: 'The unit to take out of its remit.' }, ParseUuidPipe) orgUnitId: string,
  ): Promise<boolean> {
    await this.actions.revokeRemit(bureauId, orgUnitId);
    return true;
  }

  @Query(() => [OrgUnitRef], { description: "The units a bureau's remit names (each covering everything under it)." })
  async bureauRemit(
    @Args('bureauId', { type: () => ID, description: 'The bureau (a DEPARTMENT institution).' }, ParseUuidPipe) bureauId: string,
  ): Promise<OrgUnitRef[]> {
    return (await this.actions.remits(bureauId)).map((id) => OrgUnitRef.of(id));
  }

  @Mutation(() => EnforcementTeam, { description: 'District administrators: a new team of a bureau.' })
  createEnforcementTeam(
    @Args('bureauId', { type: () => ID, description: 'The bureau the team belongs to (a DEPARTMENT institution).' }, ParseUuidPipe)
    bureauId: string,
    @Args('name', { description: "The team's name, 1–100 characters, unique within the bureau." }) name: string,
  ): Promise<EnforcementTeam> {
    return this.actions.createTeam(bureauId, name);
  }

  @Mutation(() => EnforcementOfficer, {
    description: 'District administrators: registers an officer of a bureau, optionally linked to the user id they sign in with.',
  })
  createEnforcementOfficer(
    @Args('bureauId', { type: () => ID, description: 'The bureau the officer serves in (a DEPARTMENT institution).' }, ParseUuidPipe)
    bureauId: string,
    @Args('name', { description: "The officer's name, 1–50 characters, as printed on notices." }) name: string,
    @Args('userId', { type: () => String, nullable: true, description: 'The account (token sub) the officer signs in with, if any.' })
    userId: string | null,
  ): Promise<EnforcementOfficer> {
    return this.actions.createOfficer(bureauId, name, userId ?? null);
  }

  @ResolveField(() => [EnforcementTeam], { description: 'The enforcement teams booked for the action.' })
  async teams(@Parent() action: JointAction, @Context() context: RequestContext): Promise<EnforcementTeam[]> {
    const loader = requestLoader<EnforcementTeam>(context, 'EnforcementTeam', (ids) => this.actions.teams(ids));
    return (await loader.loadMany(action.teamIds)).filter((t): t is EnforcementTeam => t instanceof EnforcementTeam);
  }

  @ResolveField(() => [EnforcementOfficer], { description: 'The enforcement officers booked for the action.' })
  async officers(@Parent() action: JointAction, @Context() context: RequestContext): Promise<EnforcementOfficer[]> {
    const loader = requestLoader<EnforcementOfficer>(context, 'EnforcementOfficer', (ids) => this.actions.officers(ids));
    return (await loader.loadMany(action.officerIds)).filter((o): o is EnforcementOfficer => o instanceof EnforcementOfficer);
  }

  @ResolveField(() => [JointActionRevision], { description: 'Every change, oldest first.' })
  async history(@Parent() action: JointAction, @Context() context: RequestContext): Promise<JointActionRevision[]> {
    const loader = requestLoader<JointActionRevision[]>(context, 'JointActionHistory', (ids) => this.actions.histories(ids));
    return (await loader.load(action.id)) ?? [];
  }

  @ResolveField(() => [ActionFinding], { description: 'What the action found, oldest first.' })
  async findings(@Parent() action: JointAction, @Context() context: RequestContext): Promise<ActionFinding[]> {
    const loader = requestLoader<ActionFinding[]>(context, 'ActionFindings', (ids) => this.actions.findings(ids));
    return (await loader.load(action.id)) ?? [];
  }
}
