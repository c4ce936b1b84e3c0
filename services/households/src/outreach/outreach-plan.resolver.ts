import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller } from '#libs/platform';
import { UpdateOutreachPlanInput } from './outreach.inputs.js';
import { OutreachPlan } from './outreach.model.js';
import { OutreachPlanService } from './outreach-plan.service.js';

@Resolver(() => OutreachPlan)
export class OutreachPlanResolver {
  constructor(private readonly plans: OutreachPlanService) {}

  @Query(() => [OutreachPlan], { description: '帮扶方案: the outreach each lower tier gets, UNQUALIFIED first.' })
  outreachPlans(): Promise<OutreachPlan[]> {
    return this.plans.list();
  }

  @Mutation(() => OutreachPlan, { description: 'Changes the outreach plan of a tier; its version grows by one.' })
  updateOutreachPlan(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The tier, its visits a month, actions and description, and the version you edited.' })
    input: UpdateOutreachPlanInput,
  ): Promise<OutreachPlan> {
    return this.plans.update(caller, input);
  }
}
