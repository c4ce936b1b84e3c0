import { ArgsType, Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';

@InputType('CreateVanguardFormulaInput', { description: 'A new version of the vanguard index formula; maxima add up to 100.' })
export class CreateVanguardFormulaInput {
  @Field({ description: 'YYYY-MM, a month after the current one: months already begun keep their formula.' })
  effectiveFrom: string;

  @Field({ description: 'What changed and why (shown with every score computed by it).' })
  description: string;

  @Field(() => Float, { description: 'Points the household-grade part gives at most.' })
  householdGradeMaximum: number;

  @Field(() => Float, { description: 'Household grade points for a QUALIFIED month (合格).' })
  qualifiedPoints: number;

  @Field(() => Float, { description: 'Household grade points for a BASICALLY_QUALIFIED month (基本合格).' })
  basicallyQualifiedPoints: number;

  @Field(() => Float, { description: 'Household grade points for an UNQUALIFIED month (不合格).' })
  unqualifiedPoints: number;

  @Field(() => Float, { description: 'Points the photo check-ins part gives at most.' })
  checkInsMaximum: number;

  @Field(() => Float, { description: 'Points the duties part gives at most.' })
  dutiesMaximum: number;

  @Field(() => Float, { description: 'Points the volunteer-hours part gives at most.' })
  volunteerHoursMaximum: number;

  @Field(() => Float, { description: 'Volunteer hours in a month that give the full points (> 0).' })
  volunteerFullAtHours: number;
}

@ArgsType()
export class VanguardRankingArgs extends PageArgs {
  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => ID, { description: 'A branch or committee: its members are those registered with a branch in its subtree.' })
  partyOrgId: string;
}

@ArgsType()
export class UnitAnnualAssessmentArgs extends PageArgs {
  @Field(() => Int, { description: 'The year, e.g. 2026.' })
  year: number;

  @Field(() => ID, {
    nullable: true,
    description: 'A party organisation: it and every organisation under it (default: the district committee).',
  })
  partyOrgId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A work unit (institution): it and, for a department, its sector units.' })
  institutionId?: string | null;
}

@ArgsType()
export class UnitMembersArgs extends PageArgs {}
