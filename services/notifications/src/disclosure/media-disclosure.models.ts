import { ArgsType, Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { InstitutionRef } from '#libs/references';
import { monthInWords } from '../notices/notice-sql.js';
import { DisclosureState } from './disclosure-state.js';

/** What an outlet said about its publication of a disclosure. */
@ObjectType({ description: 'A media outlet’s acknowledgement that it published a disclosure: when and where.' })
export class MediaPublication {
  @Field({ description: 'When the outlet published it.' })
  publishedAt: Date;

  @Field(() => String, { nullable: true, description: 'Where it can be read online.' })
  url: string | null;

  @Field(() => String, { nullable: true, description: 'Where else, in words (e.g. 鄞州日报 11月5日 第3版).' })
  placement: string | null;

  @Field({ description: 'When the outlet acknowledged it.' })
  acknowledgedAt: Date;
}

export interface OutletRow {
  disclosureId: string;
  institutionId: string;
  sharedAt: Date;
  firstReadAt: Date | null;
  acknowledgedAt: Date | null;
  publishedAt: Date | null;
  publishedUrl: string | null;
  publishedPlacement: string | null;
}

function publicationOf(row: OutletRow): MediaPublication | null {
  if (!row.acknowledgedAt) return null;
  return Object.assign(new MediaPublication(), {
    publishedAt: row.publishedAt,
    url: row.publishedUrl,
    placement: row.publishedPlacement,
    acknowledgedAt: row.acknowledgedAt,
  });
}

export interface MediaDisclosureRow extends OutletRow {
  month: string;
  state: DisclosureState;
  disclosurePublishedAt: Date;
  withdrawnAt: Date | null;
  subject: string;
  textBody: string;
  htmlBody: string;
}

@ObjectType({
  description:
    'A public disclosure (媒体公示) as a media outlet receives it: the approved, published text (masked names, compound-level places). Once withdrawn, only a withdrawal text.',
})
export class MediaDisclosure {
  @Field(() => ID, { description: 'The disclosure’s id, as in the webhook’s data.disclosureId.' })
  id: string;

  @Field({ description: 'The graded month, YYYY-MM.' })
  month: string;

  @Field(() => DisclosureState, { description: 'PUBLISHED, or WITHDRAWN: then remove what you published.' })
  state: DisclosureState;

  @Field({ description: 'When the district published it.' })
  publishedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the disclosure was withdrawn; an outlet should take it down.' })
  withdrawnAt: Date | null;

  @Field({ description: 'The subject; once withdrawn, a withdrawal subject.' })
  subject: string;

  @Field({ description: 'The plain-text form to publish; once withdrawn, a withdrawal text instead.' })
  textBody: string;

  @Field({ description: 'The HTML form of the same text.' })
  htmlBody: string;

  @Field({ description: 'When it was shared with you.' })
  sharedAt: Date;

  @Field(() => MediaPublication, { nullable: true, description: 'Your acknowledgement of publication, once given.' })
  publication: MediaPublication | null;

  static from(row: MediaDisclosureRow): MediaDisclosure {
    const withdrawn = row.state === DisclosureState.WITHDRAWN;
    const text = `${monthInWords(row.month)}的垃圾分类媒体公示已撤回，不再有效。请撤下已发布的内容并删除其副本。`;
    return Object.assign(new MediaDisclosure(), {
      id: row.disclosureId,
      month: row.month,
      state: row.state,
      publishedAt: row.disclosurePublishedAt,
      withdrawnAt: row.withdrawnAt,
      subject: withdrawn ? `【已撤回】${row.subject}` : row.subject,
      textBody: withdrawn ? text : row.textBody,
      htmlBody: withdrawn ? `<p>${text}</p>` : row.htmlBody,
      sharedAt: row.sharedAt,
      publication: publicationOf(row),
    });
  }
}

@ObjectType({
  description:
    'A page of MediaDisclosure items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class MediaDisclosureConnection extends Connection(MediaDisclosure, 'MediaDisclosure') {}

@ArgsType()
export class MediaDisclosuresArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: 'true: only those you have not acknowledged yet.' })
  unacknowledged?: boolean | null;
}

export interface DisclosureOutletRow extends OutletRow {
  webhookDeliveredAt: Date | null;
  webhookState: string | null;
  withdrawalDeliveredAt: Date | null;
}

@ObjectType({ description: 'A media outlet a published disclosure was shared with, and how far it got there.' })
export class DisclosureOutlet {
  @Field(() => InstitutionRef, { description: 'The outlet (an institution of kind MEDIA).' })
  institution: InstitutionRef;

  @Field({ description: 'When it was shared with the outlet (at publication).' })
  sharedAt: Date;

  @Field({ description: 'The outlet has it: a webhook was answered 2xx or it read the text through the API.' })
  received: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'The disclosure.published webhook: PENDING, SUCCEEDED, FAILED or CANCELLED (best over its endpoints); null when the outlet had no active endpoint.',
  })
  webhookState: string | null;

  @Field(() => Date, { nullable: true, description: 'First 2xx answer to the disclosure.published webhook.' })
  webhookDeliveredAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the outlet first read it through the API.' })
  firstReadAt: Date | null;

  @Field(() => MediaPublication, { nullable: true, description: 'The outlet’s acknowledgement of publication.' })
  publication: MediaPublication | null;

  @Field(() => Date, { nullable: true, description: 'First 2xx answer to the disclosure.withdrawn webhook.' })
  withdrawalDeliveredAt: Date | null;

  static from(row: DisclosureOutletRow): DisclosureOutlet {
    return Object.assign(new DisclosureOutlet(), {
      institution: InstitutionRef.of(row.institutionId),
      sharedAt: row.sharedAt,
      received: row.webhookDeliveredAt !== null || row.firstReadAt !== null,
      webhookState: row.webhookState,
      webhookDeliveredAt: row.webhookDeliveredAt,
      firstReadAt: row.firstReadAt,
      publication: publicationOf(row),
      withdrawalDeliveredAt: row.withdrawalDeliveredAt,
    });
  }
}

@ObjectType({
  description:
    'A page of DisclosureOutlet items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class DisclosureOutletConnection extends Connection(DisclosureOutlet, 'DisclosureOutlet') {}
