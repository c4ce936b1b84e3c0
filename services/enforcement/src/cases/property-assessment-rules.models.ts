import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import type { RuleSetRow } from '#libs/rule-sets';
import type { PropertyAssessmentWeights as Weights } from './property-assessment-rules.js';

@ObjectType('PropertyAssessmentWeights', { description: 'The weight (0–1) of each part of the score; together they are 1.' })
export class PropertyAssessmentWeights implements Weights {
  @Field(() => Float, { description: 'Cases of the month (案件).' })
  cases: number;

  @Field(() => Float, { description: 'Rectification of the month’s follow-ups (整改).' })
  rectification: number;

  @Field(() => Float, { description: 'Pass rate of the company’s households in its compounds (小区合格率).' })
  compoundPassRate: number;

  @Field(() => Float, { description: 'Citizen reports about its compounds (市民举报).' })
  citizenReports: number;

  static of(weights: Weights): PropertyAssessmentWeights {
    return Object.assign(new PropertyAssessmentWeights(), weights);
  }
}

@ObjectType({ description: 'A version of a street’s property-company assessment rules (物业管理考核办法).' })
export class PropertyAssessmentRuleSet {
  @Field(() => ID, { description: 'Stable id of this version of the rules.' })
  id: string;

  @Field(() => ID, { nullable: true, description: 'The street these rules are for; null for the default every street uses.' })
  streetId: string | null;

  @Field(() => Int, { description: 'Version number, growing by one per street with every new version.' })
  version: number;

  @Field({ description: 'First month (YYYY-MM) assessed by these rules.' })
  effectiveFrom: string;

  @Field({ description: 'What changed and why, as its author recorded.' })
  description: string;

  @Field(() => PropertyAssessmentWeights, {
    description: "The weights of the four parts of a property company's monthly score; together 1.",
  })
  weights: PropertyAssessmentWeights;

  @Field({ description: 'User id of whoever published the version.' })
  createdBy: string;

  @Field({ description: 'When the version was published (ISO 8601 timestamp).' })
  createdAt: Date;

  static from(row: RuleSetRow<Weights>): PropertyAssessmentRuleSet {
    return Object.assign(new PropertyAssessmentRuleSet(), {
      id: row.id,
      streetId: row.districtId,
      version: row.version,
      effectiveFrom: row.effectiveFrom.slice(0, 7),
      description: row.description,
      weights: PropertyAssessmentWeights.of(row.rules),
      createdBy: row.createdBy,
      createdAt: row.createdAt,
    });
  }
}

@ObjectType({
  description:
    'A page of PropertyAssessmentRuleSet items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class PropertyAssessmentRuleSetConnection extends Connection(PropertyAssessmentRuleSet, 'PropertyAssessmentRuleSet') {}

@InputType({ description: "The weights of the four parts of a property company's monthly score: each 0–1, together 1." })
export class PropertyAssessmentWeightsInput implements Weights {
  @Field(() => Float, { description: 'Weight of the cases part (案件), 0–1.' })
  cases: number;

  @Field(() => Float, { description: 'Weight of the rectification part (整改), 0–1.' })
  rectification: number;

  @Field(() => Float, { description: "Weight of the compounds' pass rate (小区合格率), 0–1." })
  compoundPassRate: number;

  @Field(() => Float, { description: 'Weight of the citizen-reports part (市民举报), 0–1.' })
  citizenReports: number;
}

@InputType({ description: "A new version of a street's property-company assessment rules." })
export class CreatePropertyAssessmentRuleSetInput {
  @Field(() => ID, { description: 'A STREET in your territory.' })
  streetId: string;

  @Field({ description: 'First month (YYYY-MM) assessed by these rules: this month or later.' })
  effectiveFrom: string;

  @Field({ description: 'What changed and why, for the record (1–500 characters).' })
  description: string;

  @Field(() => PropertyAssessmentWeightsInput, { description: 'Each 0–1, together 1 (else BAD_USER_INPUT, WEIGHTS_DO_NOT_SUM_TO_ONE).' })
  weights: PropertyAssessmentWeightsInput;
}

@ArgsType()
export class PropertyAssessmentRuleSetsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only this street’s versions and the default’s.' })
  streetId?: string | null;
}
