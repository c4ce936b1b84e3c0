import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import { CurrentCaller, requireUuid } from '#libs/platform';
import { Territory } from '#libs/territory';
import { PROPERTY_ASSESSMENT_RULE_SETS, parseWeights } from './property-assessment-rules.js';
import {
  CreatePropertyAssessmentRuleSetInput,
  PropertyAssessmentRuleSet,
  PropertyAssessmentRuleSetConnection,
  PropertyAssessmentRuleSetsArgs,
} from './property-assessment-rules.models.js';

@Resolver(() => PropertyAssessmentRuleSet)
export class PropertyAssessmentRuleSetResolver {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  @Query(() => PropertyAssessmentRuleSetConnection, {
    description: 'Versions of the streets’ property-company assessment rules, newest first.',
  })
  propertyAssessmentRuleSets(@Args() args: PropertyAssessmentRuleSetsArgs): Promise<PropertyAssessmentRuleSetConnection> {
    const streetId = args.streetId ? requireUuid(args.streetId, 'streetId') : null;
    return PROPERTY_ASSESSMENT_RULE_SETS.list(this.dataSource, args, (row) => PropertyAssessmentRuleSet.from(row), streetId);
  }

  @Mutation(() => PropertyAssessmentRuleSet, {
    description:
      'Publishes a new version of a street’s property-company assessment rules (物业管理考核办法), from a month on: the weights of ' +
      'cases, rectification, compound pass rate and citizen reports, each 0–1 and together 1.',
  })
  async createPropertyAssessmentRuleSet(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The street, the first month assessed, the weights and why.' })
    input: CreatePropertyAssessmentRuleSetInput,
  ): Promise<PropertyAssessmentRuleSet> {
    const street = await this.territory.requireInScope(caller, requireUuid(input.streetId, 'streetId'));
    if (street.kind !== 'STREET') throw DomainError.badInput('Property assessment rules are set per STREET', 'NOT_A_STREET');
    const rules = parseWeights(input.weights);
    return PropertyAssessmentRuleSet.from(
      await PROPERTY_ASSESSMENT_RULE_SETS.publish(this.dataSource, caller, {
        districtId: street.id,
        effectiveFrom: input.effectiveFrom,
        description: input.description,
        rules,
      }),
    );
  }
}
