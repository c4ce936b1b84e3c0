import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission, type Caller } from '#libs/auth';
import { CurrentCaller } from '#libs/platform';
import { requireAnyPermission } from './access.js';
import { UpdateOutreachPlanInput } from './outreach.inputs.js';
import { OutreachPlan } from './outreach.model.js';
import { OutreachPlanService } from './outreach-plan.service.js';

@Resolver(() => OutreachPlan)
export class OutreachPlanResolver {
  constructor(private readonly plans: OutreachPlanService) {}

  @Query(() => [OutreachPlan], { description: '帮扶方案: the outreach each lower tier gets, UNQUALIFIED first.' })
  outreachPlans(@CurrentCaller() caller: Caller): Promise<OutreachPlan[]> {
    requireAnyPermission(caller, Permission.OUTREACH, Permission.STATS_READ, Permission.OUTREACH_PLAN_MANAGE);
    return this.plans.list();
  }

  @Mutation(() => OutreachPlan, { description: 'Changes the outreach plan of a tier; its version grows by one.' })
  updateOutreachPlan(@CurrentCaller() caller: Caller, @Args('input') input: UpdateOutreachPlanInput): Promise<OutreachPlan> {
    return this.plans.update(caller, input);
  }
}
