import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { CollectionPointKind, WasteStream } from './collection-enums.js';
import { OpeningWindowInput, TimeWindowInput } from './collection-point.model.js';

@ArgsType()
export class CollectionPointsArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'A unit of your territory: points of the compounds in it and below it (default: your whole territory).',
  })
  orgUnitId?: string | null;

  @Field(() => CollectionPointKind, { nullable: true, description: 'Only points of this kind.' })
  kind?: CollectionPointKind | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Only active points (default true).' })
  activeOnly?: boolean | null;
}

@InputType({ description: 'A new collection (drop-off) point in a compound: its name, kind, place, streams and opening hours.' })
export class CreateCollectionPointInput {
  @Field(() => ID, { description: 'A compound (小区) inside your territory.' })
  compoundId: string;

  @Field({ description: '1–60 characters, unique within the compound.' })
  name: string;

  @Field(() => CollectionPointKind, { description: 'REGULAR (open at set windows) or LATE_DROP_OFF (open 24 hours).' })
  kind: CollectionPointKind;

  @Field({ description: '1–200 characters.' })
  location: string;

  @Field(() => [WasteStream], { description: 'At least one.' })
  wasteStreams: WasteStream[];

  @Field(() => [OpeningWindowInput], {
    nullable: true,
    description: 'Weekly windows: at least one for a REGULAR point, none for a LATE_DROP_OFF point (open 24 hours).',
  })
  schedule?: OpeningWindowInput[] | null;

  @Field(() => TimeWindowInput, { nullable: true, description: 'Extra noon opening on public holidays; REGULAR points only.' })
  holidayNoonOpening?: TimeWindowInput | null;
}

/** Omitted fields keep their value; `holidayNoonOpening: null` removes the holiday opening. */
@InputType({
  description: 'Changes to a collection point: omitted fields keep their value; holidayNoonOpening: null removes the holiday opening.',
})
export class UpdateCollectionPointInput {
  @Field({ nullable: true, description: 'New name, 1–60 characters, unique within the compound.' })
  name?: string;

  @Field(() => CollectionPointKind, { nullable: true, description: 'New kind; the schedule must then fit it.' })
  kind?: CollectionPointKind;

  @Field({ nullable: true, description: 'New description of where the point is, 1–200 characters.' })
  location?: string;

  @Field(() => [WasteStream], { nullable: true, description: 'The streams accepted from now on (at least one); replaces the list.' })
  wasteStreams?: WasteStream[];

  @Field(() => [OpeningWindowInput], { nullable: true, description: 'Replaces the whole weekly schedule.' })
  schedule?: OpeningWindowInput[];

  @Field(() => TimeWindowInput, {
    nullable: true,
    description: 'The extra noon opening on public holidays; null removes it, omitted keeps it.',
  })
  holidayNoonOpening?: TimeWindowInput | null;
}
