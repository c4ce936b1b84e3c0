import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Grade } from '#libs/grades';
import { Connection } from '#libs/pagination';
import type { RuleSetRow } from '#libs/rule-sets';
import type { NoticeRules } from './notice-rules.js';

@ObjectType({ description: 'A version of the rules deciding which grades earn a praise letter or a reminder notice (以评促优).' })
export class NoticeRuleSet {
  @Field(() => ID, { description: 'Stable id of this version of the rules.' })
  id: string;

  @Field(() => ID, { nullable: true, description: 'The district these rules are for; null for the default every district uses.' })
  districtId: string | null;

  @Field(() => Int, { description: 'Version number, growing by one per district with every new version.' })
  version: number;

  @Field({ description: 'First month (YYYY-MM) whose notices follow these rules.' })
  effectiveFrom: string;

  @Field({ description: 'What changed and why, as its author recorded.' })
  description: string;

  @Field({ description: 'Whether praise letters are made at all.' })
  praiseEnabled: boolean;

  @Field(() => Float, { description: 'A QUALIFIED household earns praise from this score up.' })
  praiseMinScore: number;

  @Field({ description: 'Praise only when the month before was QUALIFIED too.' })
  praisePreviousMonthQualified: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Praise only after this many consecutive QUALIFIED months, this one included; null: no such condition.',
  })
  praiseConsecutiveMonths: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Praise only the best share (0–1] of a community's graded households by score; null: no such condition.",
  })
  praiseTopShare: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'At most this many praise letters to one institution a month, highest scores first; null: no cap.',
  })
  praiseCapPerInstitution: number | null;

  @Field({ description: 'Whether reminder notices are made at all.' })
  reminderEnabled: boolean;

  @Field(() => [Grade], { description: 'Grades that earn a reminder notice.' })
  reminderGrades: Grade[];

  @Field({ description: 'User id of whoever published the version.' })
  createdBy: string;

  @Field({ description: 'When the version was published (ISO 8601 timestamp).' })
  createdAt: Date;

  static from(row: RuleSetRow<NoticeRules>): NoticeRuleSet {
    const { rules } = row;
    return Object.assign(new NoticeRuleSet(), {
      id: row.id,
      districtId: row.districtId,
      version: row.version,
      effectiveFrom: row.effectiveFrom.slice(0, 7),
      description: row.description,
      praiseEnabled: rules.praise.enabled,
      praiseMinScore: rules.praise.minScore,
      praisePreviousMonthQualified: rules.praise.previousMonthQualified,
      praiseConsecutiveMonths: rules.praise.consecutiveMonths ?? null,
      praiseTopShare: rules.praise.topShare ?? null,
      praiseCapPerInstitution: rules.praise.capPerInstitution ?? null,
      reminderEnabled: rules.reminder.enabled,
      reminderGrades: rules.reminder.grades,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
    });
  }
}

@ObjectType({
  description:
    'A page of NoticeRuleSet items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class NoticeRuleSetConnection extends Connection(NoticeRuleSet, 'NoticeRuleSet') {}

@InputType({ description: 'A new version of the notice rules for a district, from a month on.' })
export class CreateNoticeRuleSetInput {
  @Field(() => ID, { description: 'A DISTRICT in your territory.' })
  districtId: string;

  @Field({ description: 'First month (YYYY-MM) whose notices follow these rules: this month or later.' })
  effectiveFrom: string;

  @Field({ description: 'What changed and why, for the record.' })
  description: string;

  @Field({ description: 'Whether praise letters are made at all.' })
  praiseEnabled: boolean;

  @Field(() => Float, { description: 'The lowest monthly score that earns a praise letter.' })
  praiseMinScore: number;

  @Field({ description: 'Whether praise also needs a QUALIFIED grade the month before.' })
  praisePreviousMonthQualified: boolean;

  @Field(() => Int, { nullable: true, description: 'At least 1: consecutive QUALIFIED months, this one included, before praise.' })
  praiseConsecutiveMonths?: number | null;

  @Field(() => Float, { nullable: true, description: 'More than 0, at most 1: praise only this best share of each community by score.' })
  praiseTopShare?: number | null;

  @Field(() => Int, { nullable: true, description: 'At least 1: praise letters per institution and month.' })
  praiseCapPerInstitution?: number | null;

  @Field({ description: 'Whether reminder notices are made at all.' })
  reminderEnabled: boolean;

  @Field(() => [Grade], { description: 'UNQUALIFIED and/or BASICALLY_QUALIFIED.' })
  reminderGrades: Grade[];
}
