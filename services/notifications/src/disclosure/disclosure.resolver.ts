import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { PageArgs, type ConnectionShape } from '#libs/pagination';
import { CurrentCaller, ParseUuidPipe } from '#libs/platform';
import {
  DisclosureEntriesArgs, PublicDisclosure, PublicDisclosureConnection, PublicDisclosureCounts, PublicDisclosureEntry,
  PublicDisclosureEntryConnection, PublicDisclosureEventConnection, PublicDisclosurePendingDifference, PublicDisclosuresArgs, type PublicDisclosureEvent,
} from './disclosure.models.js';
import { DisclosureService } from './disclosure.service.js';
import { DisclosureOutletConnection, type DisclosureOutlet } from './media-disclosure.models.js';
import { MediaDisclosureService } from './media-disclosure.service.js';

/** Staff who prepare disclosures, and those who read notices, may read them. */
@Resolver(() => PublicDisclosure)
export class DisclosureResolver {
  constructor(
    private readonly disclosures: DisclosureService,
    private readonly media: MediaDisclosureService,
  ) {}

  @Query(() => PublicDisclosureConnection, { description: 'Monthly public disclosures (媒体公示) of your district, newest month first.' })
  publicDisclosures(@CurrentCaller() caller: Caller, @Args() args: PublicDisclosuresArgs): Promise<ConnectionShape<PublicDisclosure>> {
    return this.disclosures.list(caller, args);
  }

  @Query(() => PublicDisclosure, { description: 'One public disclosure; entries and counts limited to your territory.' })
  publicDisclosure(@CurrentCaller() caller: Caller, @Args('id', { type: () => ID }, ParseUuidPipe) id: string): Promise<PublicDisclosure> {
    return this.disclosures.get(caller, id);
  }

  @ResolveField(() => PublicDisclosureEntryConnection, { description: 'Entries in your territory: praise first, then by place.' })
  entries(@CurrentCaller() caller: Caller, @Parent() disclosure: PublicDisclosure, @Args() args: DisclosureEntriesArgs): Promise<ConnectionShape<PublicDisclosureEntry>> {
    return this.disclosures.entries(caller, disclosure, args);
  }

  @ResolveField(() => PublicDisclosureCounts, { description: 'Entries in your territory, by kind.' })
  counts(@CurrentCaller() caller: Caller, @Parent() disclosure: PublicDisclosure): Promise<PublicDisclosureCounts> {
    return this.disclosures.counts(caller, disclosure);
  }

  @ResolveField(() => PublicDisclosureEventConnection, { description: 'Every action on it and on its entries in your territory, oldest first (append-only).' })
  events(@CurrentCaller() caller: Caller, @Parent() disclosure: PublicDisclosure, @Args() args: PageArgs): Promise<ConnectionShape<PublicDisclosureEvent>> {
    return this.disclosures.events(caller, disclosure, args);
  }

  @ResolveField(() => PublicDisclosurePendingDifference, {
    nullable: true,
    description: 'Once approved: how grades corrected since would change it (not applied); null when none would.',
  })
  pendingDifference(@CurrentCaller() caller: Caller, @Parent() disclosure: PublicDisclosure): Promise<PublicDisclosurePendingDifference | null> {
    return this.disclosures.pendingDifference(caller, disclosure);
  }

  @ResolveField(() => DisclosureOutletConnection, {
    description: 'Once published: the media outlets it was shared with, and whether each received it (webhook or API) and acknowledged publication.',
  })
  outlets(@Parent() disclosure: PublicDisclosure, @Args() args: PageArgs): Promise<ConnectionShape<DisclosureOutlet>> {
    return this.media.outlets(disclosure.id, args);
  }

  @Mutation(() => PublicDisclosureEntry, { description: 'Leaves an entry out of a DRAFT disclosure, with a reason (CONFLICT unless DRAFT).' })
  excludeDisclosureEntry(
    @CurrentCaller() caller: Caller,
    @Args('entryId', { type: () => ID }, ParseUuidPipe) entryId: string,
    @Args('reason') reason: string,
  ): Promise<PublicDisclosureEntry> {
    return this.disclosures.exclude(caller, entryId, reason);
  }

  @Mutation(() => PublicDisclosureEntry, { description: 'Puts an excluded entry back into a DRAFT disclosure (CONFLICT unless DRAFT).' })
  includeDisclosureEntry(@CurrentCaller() caller: Caller, @Args('entryId', { type: () => ID }, ParseUuidPipe) entryId: string): Promise<PublicDisclosureEntry> {
    return this.disclosures.include(caller, entryId);
  }

  @Mutation(() => PublicDisclosure, {
    description: 'Approves a DRAFT. Not by the person who changed it last (FORBIDDEN, FOUR_EYES); CONFLICT unless DRAFT.',
  })
  approvePublicDisclosure(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID }, ParseUuidPipe) id: string,
    @Args('note', { type: () => String, nullable: true }) note: string | null,
  ): Promise<PublicDisclosure> {
    return this.disclosures.approve(caller, id, note);
  }

  @Mutation(() => PublicDisclosure, { description: 'Publishes an APPROVED disclosure: renders its text with the included entries (CONFLICT unless APPROVED).' })
  publishPublicDisclosure(@CurrentCaller() caller: Caller, @Args('id', { type: () => ID }, ParseUuidPipe) id: string): Promise<PublicDisclosure> {
    return this.disclosures.publish(caller, id);
  }

  @Mutation(() => PublicDisclosure, { description: 'Withdraws a disclosure (draft, approved or published), with a reason; final.' })
  withdrawPublicDisclosure(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID }, ParseUuidPipe) id: string,
    @Args('reason') reason: string,
  ): Promise<PublicDisclosure> {
    return this.disclosures.withdraw(caller, id, reason);
  }
}
