import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '#libs/auth';
import { CurrentCaller, requireUuid } from '#libs/platform';
import {
  PropertyResponsiblePerson,
  PropertyResponsiblePersonConnection,
  PropertyResponsiblePersonsArgs,
  RecordPropertyResponsiblePersonInput,
} from './property-responsible.model.js';
import { PropertyResponsibleService } from './property-responsible.service.js';

@Resolver(() => PropertyResponsiblePerson)
export class PropertyResponsibleResolver {
  constructor(private readonly persons: PropertyResponsibleService) {}

  @Mutation(() => PropertyResponsiblePerson, {
    description:
      'Names (or replaces) a compound’s person responsible for sorting at its property company (物业垃圾分类管理责任人). A property ' +
      'manager names them for compounds their company manages (elsewhere FORBIDDEN, OUT_OF_SCOPE); community staff for compounds ' +
      'of their territory.',
  })
  recordPropertyResponsiblePerson(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: "The compound, and the person's name and phone." }) input: RecordPropertyResponsiblePersonInput,
  ): Promise<PropertyResponsiblePerson> {
    input.compoundId = requireUuid(input.compoundId, 'compoundId');
    return this.persons.record(caller, input);
  }

  @Query(() => PropertyResponsiblePersonConnection, {
    description: 'Compounds’ responsible persons: of your territory, or for a property manager of the compounds their company manages.',
  })
  propertyResponsiblePersons(
    @CurrentCaller() caller: Caller,
    @Args() args: PropertyResponsiblePersonsArgs,
  ): Promise<PropertyResponsiblePersonConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.persons.list(caller, args);
  }
}
