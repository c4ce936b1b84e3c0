import { ArgsType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Grade } from '#libs/grades';
import { Connection, PageArgs } from '#libs/pagination';
import { OrgUnitRef } from '#libs/references';
import { DisclosureAction, DisclosureEntryKind, DisclosureState } from './disclosure-state.js';

export interface DisclosureRow {
  id: string;
  districtId: string;
  month: string;
  state: DisclosureState;
  ruleVersion: number;
  preparedBy: string;
  preparedAt: Date;
  refreshedAt: Date;
  lastEditedBy: string | null;
  lastEditedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  approvalNote: string | null;
  publishedBy: string | null;
  publishedAt: Date | null;
  withdrawnBy: string | null;
  withdrawnAt: Date | null;
  withdrawalReason: string | null;
  subject: string | null;
  textBody: string | null;
  htmlBody: string | null;
}

@ObjectType({
  description:
    'A month’s public disclosure (媒体公示) of a district: retirees and freelancers whose household earned praise or a reminder, with masked names and compound-level places only. Published only after approval by someone other than its last editor.',
})
export class PublicDisclosure {
  @Field(() => ID, { description: 'Stable id of the disclosure.' })
  id: string;

  @Field(() => OrgUnitRef, { description: 'The district whose month it discloses.' })
  district: OrgUnitRef;

  @Field({ description: 'The graded month, YYYY-MM.' })
  month: string;

  @Field(() => DisclosureState, { description: 'Where the disclosure is.' })
  state: DisclosureState;

  @Field(() => Int, { description: 'Version of the notice rules the entries follow.' })
  ruleVersion: number;

  @Field({ description: 'Who prepared the draft (system:notice-generation when grades did).' })
  preparedBy: string;

  @Field({ description: 'When the draft was prepared (ISO 8601 timestamp).' })
  preparedAt: Date;

  @Field({ description: 'Last time corrected grades changed the draft.' })
  refreshedAt: Date;

  @Field(() => String, { nullable: true, description: 'The last person who excluded or included an entry: they may not approve it.' })
  lastEditedBy: string | null;

  @Field(() => Date, { nullable: true, description: 'When an entry was last excluded or included.' })
  lastEditedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'User id of whoever approved it (four eyes: not the last editor).' })
  approvedBy: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was approved.' })
  approvedAt: Date | null;

  @Field(() => String, { nullable: true, description: "The approver's note, if any." })
  approvalNote: string | null;

  @Field(() => String, { nullable: true, description: 'User id of whoever published it.' })
  publishedBy: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was published.' })
  publishedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'User id of whoever withdrew it.' })
  withdrawnBy: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was withdrawn.' })
  withdrawnAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was withdrawn.' })
  withdrawalReason: string | null;

  @Field(() => String, { nullable: true, description: 'Once published: the subject, as rendered.' })
  subject: string | null;

  @Field(() => String, { nullable: true, description: 'Once published: the plain-text form, as rendered from the zh-CN template.' })
  textBody: string | null;

  @Field(() => String, { nullable: true, description: 'Once published: the HTML form of the same text.' })
  htmlBody: string | null;

  /** Kept for the field resolvers. */
  districtId: string;

  static from(row: DisclosureRow): PublicDisclosure {
    return Object.assign(new PublicDisclosure(), { ...row, district: OrgUnitRef.of(row.districtId) });
  }
}

@ObjectType({
  description:
    'A page of PublicDisclosure items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class PublicDisclosureConnection extends Connection(PublicDisclosure, 'PublicDisclosure') {}

export interface DisclosureEntryRow {
  id: string;
  disclosureId: string;
  maskedName: string;
  compoundId: string;
  place: string;
  kind: DisclosureEntryKind;
  grade: Grade;
  excludedAt: Date | null;
  excludedBy: string | null;
  exclusionReason: string | null;
}

@ObjectType({ description: 'A resident a public disclosure lists: masked name and compound-level place only.' })
export class PublicDisclosureEntry {
  @Field(() => ID, { description: 'Stable id of the entry.' })
  id: string;

  @Field(() => ID, { description: 'The disclosure it belongs to.' })
  disclosureId: string;

  @Field({ description: 'e.g. 张*明' })
  maskedName: string;

  @Field(() => OrgUnitRef, { description: 'The compound (小区) the household lives in.' })
  compound: OrgUnitRef;

  @Field({ description: 'Community and compound in words, e.g. 福明社区 甬江花园; never a building or room.' })
  place: string;

  @Field(() => DisclosureEntryKind, { description: 'Praise or reminder.' })
  kind: DisclosureEntryKind;

  @Field(() => Grade, { description: "The household's grade of the month that earned the entry." })
  grade: Grade;

  @Field({ description: 'Left out of the disclosure by staff (with a reason).' })
  excluded: boolean;

  @Field(() => Date, { nullable: true, description: 'When staff excluded it.' })
  excludedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'User id of whoever excluded it.' })
  excludedBy: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was excluded.' })
  exclusionReason: string | null;

  static from(row: DisclosureEntryRow): PublicDisclosureEntry {
    return Object.assign(new PublicDisclosureEntry(), {
      ...row,
      compound: OrgUnitRef.of(row.compoundId),
      excluded: row.excludedAt !== null,
    });
  }
}

@ObjectType({
  description:
    'A page of PublicDisclosureEntry items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class PublicDisclosureEntryConnection extends Connection(PublicDisclosureEntry, 'PublicDisclosureEntry') {}

@ObjectType({ description: 'Entries of a disclosure within your territory.' })
export class PublicDisclosureCounts {
  @Field(() => Int, { description: 'Included entries earning praise.' })
  praise: number;

  @Field(() => Int, { description: 'Included entries earning a reminder.' })
  reminder: number;

  @Field(() => Int, { description: 'Included entries (what a publication lists).' })
  included: number;

  @Field(() => Int, { description: 'Entries staff excluded.' })
  excluded: number;
}

@ObjectType({ description: 'An action on a disclosure, from its append-only audit log.' })
export class PublicDisclosureEvent {
  @Field(() => DisclosureAction, { description: 'What the step did.' })
  action: DisclosureAction;

  @Field({ description: 'User id, or system:notice-generation for what grades did.' })
  actor: string;

  @Field({ description: 'When it happened (ISO 8601 timestamp).' })
  at: Date;

  @Field(() => String, { nullable: true, description: 'The reason or note given with the step, if any.' })
  note: string | null;

  @Field(() => ID, { nullable: true, description: 'The entry excluded or included.' })
  entryId: string | null;
}

@ObjectType({
  description:
    'A page of PublicDisclosureEvent items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class PublicDisclosureEventConnection extends Connection(PublicDisclosureEvent, 'PublicDisclosureEvent') {}

@ObjectType({ description: 'How an approved or published disclosure differs from grades corrected after its approval (not applied).' })
export class PublicDisclosurePendingDifference {
  @Field(() => Int, { description: 'Households whose corrected grade would change the disclosure.' })
  households: number;

  @Field(() => Int, { description: 'Entries corrected grades would add.' })
  entriesToAdd: number;

  @Field(() => Int, { description: 'Entries corrected grades would remove.' })
  entriesToRemove: number;

  @Field(() => Int, { description: 'Entries whose kind or grade would change.' })
  entriesChanged: number;
}

@ArgsType()
export class PublicDisclosuresArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only this month (YYYY-MM).' })
  month?: string | null;

  @Field(() => DisclosureState, { nullable: true, description: 'Only disclosures in this state.' })
  state?: DisclosureState | null;
}

@ArgsType()
export class DisclosureEntriesArgs extends PageArgs {
  @Field(() => DisclosureEntryKind, { nullable: true, description: 'Only entries of this kind.' })
  kind?: DisclosureEntryKind | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only excluded entries; false: only included ones.' })
  excluded?: boolean | null;
}
