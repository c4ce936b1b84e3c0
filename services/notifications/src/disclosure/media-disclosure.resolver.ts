import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { type ConnectionShape } from '#libs/pagination';
import { CurrentCaller, ParseUuidPipe } from '#libs/platform';
import { MediaDisclosure, MediaDisclosureConnection, MediaDisclosuresArgs } from './media-disclosure.models.js';
import { MediaDisclosureService } from './media-disclosure.service.js';

/** Published disclosures for media outlets calling with their API key: read the text, acknowledge publication. */
@Resolver(() => MediaDisclosure)
export class MediaDisclosureResolver {
  constructor(private readonly media: MediaDisclosureService) {}

  @Query(() => MediaDisclosureConnection, { description: 'Media outlets: the public disclosures shared with you, newest first.' })
  mediaDisclosures(@CurrentCaller() caller: Caller, @Args() args: MediaDisclosuresArgs): Promise<ConnectionShape<MediaDisclosure>> {
    return this.media.list(caller, args);
  }

  @Query(() => MediaDisclosure, {
    description: 'Media outlets: one disclosure shared with you (the id from the webhook); NOT_FOUND otherwise.',
  })
  mediaDisclosure(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The disclosure's id." }, ParseUuidPipe) id: string,
  ): Promise<MediaDisclosure> {
    return this.media.get(caller, id);
  }

  @Mutation(() => MediaDisclosure, {
    description:
      'Media outlets: records that you published a disclosure, when (default now) and where (a url, a placement in words, or both). Once (CONFLICT ALREADY_ACKNOWLEDGED); not for a withdrawn one (CONFLICT DISCLOSURE_WITHDRAWN).',
  })
  acknowledgeDisclosurePublication(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The disclosure's id." }, ParseUuidPipe) id: string,
    @Args('url', { type: () => String, nullable: true, description: 'Where it can be read online (http or https).' }) url: string | null,
    @Args('placement', { type: () => String, nullable: true, description: 'Where else, in words, e.g. 鄞州日报 11月5日 第3版.' })
    placement: string | null,
    @Args('publishedAt', { type: () => Date, nullable: true, description: 'When you published it; now by default.' })
    publishedAt: Date | null,
  ): Promise<MediaDisclosure> {
    return this.media.acknowledge(caller, id, { url, placement, publishedAt });
  }
}
