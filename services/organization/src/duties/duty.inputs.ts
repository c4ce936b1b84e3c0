import { ArgsType, Field, GraphQLISODateTime, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { DutyKind, DutyPeriodStatus } from './duty-kinds.js';
import { DUTY_LOG_RULES } from './duty-log-rules.js';

@InputType({ description: 'A duty you performed (履职记录): which, when, where, and a note.' })
export class RecordDutyLogInput {
  @Field(() => DutyKind, {
    description: 'Which duty: one your SECRETARY post (or, for LIAISON_VISIT, your street liaison) owes on the day performed.',
  })
  duty: DutyKind;

  @Field(() => GraphQLISODateTime, { description: 'When it was performed: not in the future. Its Shanghai date decides the period.' })
  performedAt: Date;

  @Field(() => ID, {
    nullable: true,
    description:
      "Where: the community or compound patrolled or visited, inside the post's territory (PATROL, DOOR_TO_DOOR_EXPLANATION); " +
      'a street, community or compound of the district (DISTRICT_SUPERVISION); the street liaised with or a community or compound of it (LIAISON_VISIT).',
  })
  orgUnitId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Which sector unit was supervised (SECTOR_SUPERVISION): one under the department.' })
  institutionId?: string | null;

  @Field(() => String, { nullable: true, description: `What was found and arranged; up to ${DUTY_LOG_RULES.maxNoteLength} characters.` })
  note?: string | null;

  @Field({ description: 'The same key on every retry: the same log comes back and nothing new is written.' })
  idempotencyKey: string;
}

@ArgsType()
export class DutyPeriodsArgs extends PageArgs {
  @Field({
    nullable: true,
    description: 'YYYY-MM: periods ending in that month (a day or month lies in it; a quarter ends in its last month).',
  })
  month?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Periods of posts of this party organisation and its subtree (default: your whole territory).',
  })
  partyOrgId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only this party member's periods." })
  memberId?: string | null;

  @Field(() => DutyKind, { nullable: true, description: 'Only periods of this duty.' })
  duty?: DutyKind | null;

  @Field(() => DutyPeriodStatus, { nullable: true, description: 'Only MET or only MISSED periods.' })
  status?: DutyPeriodStatus | null;
}

@ArgsType()
export class DutyEscalationsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Escalations addressed to this party organisation (default: to any in your territory).' })
  partyOrgId?: string | null;

  @Field({ nullable: true, description: 'YYYY-MM: escalations of periods ending in that month.' })
  month?: string;
}

@ArgsType()
export class DutyComplianceArgs {
  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => ID, { nullable: true, description: 'A party organisation and its subtree (default: your whole territory).' })
  partyOrgId?: string | null;

  @Field(() => ID, { nullable: true, description: 'One party member.' })
  memberId?: string | null;
}
