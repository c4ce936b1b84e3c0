import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { PageArgs, type ConnectionShape } from '#libs/pagination';
import { CurrentCaller, ParseUuidPipe, requestLoader, type RequestContext } from '#libs/platform';
import {
  DisclosureEntriesArgs,
  PublicDisclosure,
  PublicDisclosureConnection,
  PublicDisclosureCounts,
  PublicDisclosureEntry,
  PublicDisclosureEntryConnection,
  PublicDisclosureEventConnection,
  PublicDisclosurePendingDifference,
  PublicDisclosuresArgs,
  type PublicDisclosureEvent,
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
  publicDisclosure(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The disclosure's id." }, ParseUuidPipe) id: string,
  ): Promise<PublicDisclosure> {
    return this.disclosures.get(caller, id);
  }

  @ResolveField(() => PublicDisclosureEntryConnection, { description: 'Entries in your territory: praise first, then by place.' })
  async entries(
    @CurrentCaller() caller: Caller,
    @Parent() disclosure: PublicDisclosure,
    @Args() args: DisclosureEntriesArgs,
    @Context() context: RequestContext,
  ): Promise<ConnectionShape<PublicDisclosureEntry>> {
    // One statement per page of disclosures asking for the same page of entries.
    const batch = JSON.stringify([args.first ?? null, args.after ?? null, args.kind ?? null, args.excluded ?? null]);
    const loader = requestLoader<ConnectionShape<PublicDisclosureEntry>>(context, `PublicDisclosure.entries:${batch}`, (ids) =>
      this.disclosures.entriesOf(caller, ids, args),
    );
    return (await loader.load(disclosure.id))!;
  }

  @ResolveField(() => PublicDisclosureCounts, { description: 'Entries in your territory, by kind.' })
  counts(@CurrentCaller() caller: Caller, @Parent() disclosure: PublicDisclosure): Promise<PublicDisclosureCounts> {
    return this.disclosures.counts(caller, disclosure);
  }

  @ResolveField(() => PublicDisclosureEventConnection, {
    description: 'Every action on it and on its entries in your territory, oldest first (append-only).',
  })
  async events(
    @CurrentCaller() caller: Caller,
    @Parent() disclosure: PublicDisclosure,
    @Args() args: PageArgs,
    @Context() context: RequestContext,
  ): Promise<ConnectionShape<PublicDisclosureEvent>> {
    const loader = requestLoader<ConnectionShape<PublicDisclosureEvent>>(
      context,
      `PublicDisclosure.events:${JSON.stringify([args.first ?? null, args.after ?? null])}`,
      (ids) => this.disclosures.eventsOf(caller, ids, args),
    );
    return (await loader.load(disclosure.id))!;
  }

  @ResolveField(() => PublicDisclosurePendingDifference, {
    nullable: true,
    description: 'Once approved: how grades corrected since would change it (not applied); null when none would.',
  })
  pendingDifference(
    @CurrentCaller() caller: Caller,
    @Parent() disclosure: PublicDisclosure,
  ): Promise<PublicDisclosurePendingDifference | null> {
    return this.disclosures.pendingDifference(caller, disclosure);
  }

  @ResolveField(() => DisclosureOutletConnection, {
    description:
      'Once published: the media outlets it was shared with, and whether each received it (webhook or API) and acknowledged publication.',
  })
  async outlets(
    @Parent() disclosure: PublicDisclosure,
    @Args() args: PageArgs,
    @Context() context: RequestContext,
  ): Promise<ConnectionShape<DisclosureOutlet>> {
    const loader = requestLoader<ConnectionShape<DisclosureOutlet>>(
      context,
      `PublicDisclosure.outlets:${JSON.stringify([args.first ?? null, args.after ?? null])}`,
      (ids) => this.media.outletsOf(ids, args),
    );
    return (await loader.load(disclosure.id))!;
  }

  @Mutation(() => PublicDisclosureEntry, {
    description: 'Leaves an entry out of a DRAFT disclosure, with a reason (CONFLICT unless DRAFT).',
  })
  excludeDisclosureEntry(
    @CurrentCaller() caller: Caller,
    @Args('entryId', { type: () => ID, description: "The entry's id." }, ParseUuidPipe) entryId: string,
    @Args('reason', { description: 'Why it is left out, 1–500 characters.' }) reason: string,
  ): Promise<PublicDisclosureEntry> {
    return this.disclosures.exclude(caller, entryId, reason);
  }

  @Mutation(() => PublicDisclosureEntry, { description: 'Puts an excluded entry back into a DRAFT disclosure (CONFLICT unless DRAFT).' })
  includeDisclosureEntry(
    @CurrentCaller() caller: Caller,
    @Args('entryId', { type: () => ID, description: "The entry's id." }, ParseUuidPipe) entryId: string,
  ): Promise<PublicDisclosureEntry> {
    return this.disclosures.include(caller, entryId);
  }

  @Mutation(() => PublicDisclosure, {
    description: 'Approves a DRAFT. Not by the person who changed it last (FORBIDDEN, FOUR_EYES); CONFLICT unless DRAFT.',
  })
  approvePublicDisclosure(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The disclosure's id." }, ParseUuidPipe) id: string,
    @Args('note', { type: () => String, nullable: true, description: 'An optional note with the approval, up to 500 characters.' })
    note: string | null,
  ): Promise<PublicDisclosure> {
    return this.disclosures.approve(caller, id, note);
  }

  @Mutation(() => PublicDisclosure, {
    description: 'Publishes an APPROVED disclosure: renders its text with the included entries (CONFLICT unless APPROVED).',
  })
  publishPublicDisclosure(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The disclosure's id." }, ParseUuidPipe) id: string,
  ): Promise<PublicDisclosure> {
    return this.disclosures.publish(caller, id);
  }

  @Mutation(() => PublicDisclosure, { description: 'Withdraws a disclosure (draft, approved or published), with a reason; final.' })
  withdrawPublicDisclosure(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The disclosure's id." }, ParseUuidPipe) id: string,
    @Args('reason', { description: 'Why it is withdrawn, 1–500 characters.' }) reason: string,
  ): Promise<PublicDisclosure> {
    return this.disclosures.withdraw(caller, id, reason);
  }
}
