import { ArgsType, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { LEADER_BODY_LABEL_ZH, LeaderBody } from './leader-body.js';

export interface LeaderRow {
  id: string;
  name: string;
  body: LeaderBody;
  title: string;
  partyMemberId: string | null;
  createdAt: Date;
}
export interface LiaisonRow {
  id: string;
  leaderId: string;
  streetId: string;
  startsOn: string;
  endsOn: string | null;
}

@ObjectType('Leader', { description: 'A leader of one of the four leadership bodies (区四套班子), a public official.' })
export class Leader {
  @Field(() => ID, { description: 'Stable id of the leader.' })
  id: string;

  @Field({ description: "The leader's name (a public official, named in public documents)." })
  name: string;

  @Field(() => LeaderBody, { description: 'The leadership body they belong to.' })
  body: LeaderBody;

  @Field({ description: 'The Chinese name of the body: 区委, 区人大, 区政府 or 区政协.' })
  labelZh: string;

  @Field({ description: 'e.g. 副区长.' })
  title: string;

  @Field(() => ID, { nullable: true, description: 'The party member they are, if one.' })
  partyMemberId: string | null;

  @Field({ description: 'When they were registered (ISO 8601 timestamp).' })
  createdAt: Date;

  static from(row: LeaderRow): Leader {
    return Object.assign(new Leader(), { ...row, labelZh: LEADER_BODY_LABEL_ZH[row.body] });
  }
}

@ObjectType({
  description: 'A page of Leader items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class LeaderConnection extends Connection(Leader, 'Leader') {}

@ObjectType('LeaderLiaison', { description: "A leader's assignment to liaise with a street (领导干部联系镇街), dated." })
export class LeaderLiaison {
  @Field(() => ID, { description: 'Stable id of the liaison.' })
  id: string;

  @Field({ description: '联系领导' })
  labelZh: string;

  @Field(() => LocalDateScalar, { description: 'First day of the liaison (Asia/Shanghai).' })
  startsOn: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day; null while it lasts.' })
  endsOn: string | null;

  leaderId: string;
  streetId: string;

  static from(row: LiaisonRow): LeaderLiaison {
    return Object.assign(new LeaderLiaison(), { ...row, labelZh: '联系领导' });
  }
}

@ObjectType({
  description:
    'A page of LeaderLiaison items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class LeaderLiaisonConnection extends Connection(LeaderLiaison, 'LeaderLiaison') {}

@ArgsType()
export class LeadersArgs extends PageArgs {
  @Field(() => LeaderBody, { nullable: true, description: 'Only leaders of this body.' })
  body?: LeaderBody | null;
}

@InputType({ description: "A leader of the district's leadership bodies." })
export class CreateLeaderInput {
  @Field({ description: "The leader's name, 1–50 characters." })
  name: string;

  @Field(() => LeaderBody, { description: 'The leadership body.' })
  body: LeaderBody;

  @Field({ description: "The leader's title (e.g. 副区长), 1–100 characters." })
  title: string;

  @Field(() => ID, { nullable: true, description: 'The leader as a party member, if they are one.' })
  partyMemberId?: string | null;
}
