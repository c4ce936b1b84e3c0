import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { publishEntityType } from '#libs/platform';
import { DistrictMonthBlocker, districtMonthEntity } from '#libs/references';

/** Why a month's notices about residents wait for an institution. */
export enum NoticeWaitReason {
  UNKNOWN_INSTITUTION = 'UNKNOWN_INSTITUTION',
  NOT_ENROLLED = 'NOT_ENROLLED',
}

registerEnumType(NoticeWaitReason, {
  name: 'NoticeWaitReason',
  description: 'Why notices of a month wait for an institution (an employer or a school).',
  valuesMap: {
    UNKNOWN_INSTITUTION: {
      description:
        'notifications does not know the institution yet (organization has not announced it): the notices are held, and made when it arrives.',
    },
    NOT_ENROLLED: {
      description:
        'The notices are made and released, but the institution has neither an API key nor an active webhook: nothing can reach it until it enrols.',
    },
  },
});

@ObjectType({ description: 'Notices of a month waiting for one institution, and how many residents they are about.' })
export class DistrictMonthNoticeWait {
  @Field(() => ID, { description: 'The institution (employer or school) the notices are for.' })
  institutionId: string;

  @Field(() => String, { nullable: true, description: "The institution's name as notifications knows it; null while it is unknown here." })
  institutionName: string | null;

  @Field(() => NoticeWaitReason, { description: 'Why they wait.' })
  reason: NoticeWaitReason;

  @Field(() => Int, { description: 'Residents the waiting notices are about.' })
  residents: number;

  @Field(() => Int, { description: 'Notices waiting (a resident may have more than one kind).' })
  notices: number;
}

@ObjectType({
  description:
    'A page of DistrictMonthNoticeWait items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class DistrictMonthNoticeWaitConnection extends Connection(DistrictMonthNoticeWait, 'DistrictMonthNoticeWait') {}

@ArgsType()
export class DistrictMonthNoticeWaitsArgs extends PageArgs {
  @Field(() => NoticeWaitReason, { nullable: true, description: 'Only waits for this reason.' })
  reason?: NoticeWaitReason | null;
}

@ObjectType('DistrictMonthNotices', { description: "notifications' part of a district's month: notices made, waiting, delivered." })
export class DistrictMonthNotices {
  @Field({ description: 'Whether notifications has recorded the month as evaluated (households announced it).' })
  monthReceived: boolean;

  @Field({ description: "Whether the month's notices have been made (for every district that announced it)." })
  generated: boolean;

  @Field(() => Date, { nullable: true, description: 'When the notices were made.' })
  generatedAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'Grades the month announced; null before the month is recorded here.' })
  gradesExpected: number | null;

  @Field(() => Int, { description: "The month's grades that have arrived here." })
  gradesArrived: number;

  @Field(() => Int, { description: 'Notices made for the month and in force (not withdrawn).' })
  made: number;

  @Field(() => Int, { description: 'Notices not sent yet: waiting for the objection window, an API fetch or a webhook attempt.' })
  pending: number;

  @Field(() => Int, { description: 'Notices sent by webhook, not yet confirmed received.' })
  sent: number;

  @Field(() => Int, { description: 'Notices the institution received (delivered or acknowledged).' })
  delivered: number;

  @Field(() => Int, { description: 'Notices whose webhook delivery failed for good.' })
  failed: number;

  @Field(() => Int, { description: 'Residents whose notices wait for an institution (see waiting).' })
  residentsWaiting: number;

  @Field(() => Int, { description: 'Institutions notices wait for.' })
  institutionsWaiting: number;

  @Field(() => [DistrictMonthBlocker], {
    description: 'What holds the notices up, coded; at most 10 institutions of a kind named one by one, the rest counted in one more.',
  })
  blockers: DistrictMonthBlocker[];
}

export const DistrictMonth = districtMonthEntity();
export type DistrictMonth = InstanceType<typeof DistrictMonth>;
// No field here returns it: households' districtMonth leads to it and the gateway resolves it here by reference.
publishEntityType(DistrictMonth);
