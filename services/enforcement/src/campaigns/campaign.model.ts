import { Directive, Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { InstitutionRef, OrgUnitRef } from '#libs/references';
import { CAMPAIGN_KIND_LABEL_ZH, CampaignKind, CampaignState, WasteStream } from './campaign-enums.js';
import type { CampaignRow } from './campaign.service.js';

@ObjectType('Campaign', { description: 'A quarterly joint action, a 潔美有序 campaign or a special action.' })
@Directive('@key(fields: "id")')
export class Campaign {
  @Field(() => ID, { description: 'Stable id of the campaign.' })
  id: string;

  @Field(() => CampaignKind, { description: 'The kind of campaign (see labelZh for its Chinese name).' })
  kind: CampaignKind;

  @Field({ description: 'The Chinese name of the campaign kind.' })
  labelZh: string;

  @Field({ description: 'Title of the campaign, as its organisers named it.' })
  name: string;

  @Field(() => CampaignState, { description: 'Where the campaign is in its life (DRAFT → … → REPORTED).' })
  state: CampaignState;

  @Field(() => LocalDateScalar, { description: 'First day of the campaign (Asia/Shanghai).' })
  startsOn: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the campaign, inclusive (Asia/Shanghai).' })
  endsOn: string;

  @Field(() => [OrgUnitRef], { description: 'Territory the campaign covers.' })
  targetUnits: OrgUnitRef[];

  @Field(() => InstitutionRef, { nullable: true, description: 'The bureau leading the campaign, if one was named.' })
  leadBureau: InstitutionRef | null;

  @Field(() => [InstitutionRef], { description: 'Bureaus (functional departments) taking part, the lead included.' })
  participatingBureaus: InstitutionRef[];

  @Field(() => [WasteStream], { description: 'The waste streams the campaign is about (empty: all).' })
  wasteStreams: WasteStream[];

  @Field(() => Float, { nullable: true, description: 'The pass rate (0–1) the campaign aims for in its target units.' })
  goalPassRate: number | null;

  @Field(() => Int, { description: 'Joint actions each street the campaign covers must hold in its quarter (quarterly campaigns).' })
  requiredActions: number;

  @Field({ description: 'When the campaign was created (ISO 8601 timestamp).' })
  createdAt: Date;

  static from(row: CampaignRow): Campaign {
    return Object.assign(new Campaign(), {
      id: row.id,
      kind: row.kind,
      labelZh: CAMPAIGN_KIND_LABEL_ZH[row.kind],
      name: row.name,
      state: row.state,
      startsOn: row.startsOn,
      endsOn: row.endsOn,
      targetUnits: row.targetUnitIds.map((id) => OrgUnitRef.of(id)),
      leadBureau: row.leadBureauId ? InstitutionRef.of(row.leadBureauId) : null,
      participatingBureaus: row.bureauIds.map((id) => InstitutionRef.of(id)),
      wasteStreams: row.wasteStreams,
      goalPassRate: row.goalPassRate,
      requiredActions: row.requiredActions,
      createdAt: row.createdAt,
    });
  }
}

@ObjectType({
  description: 'A page of Campaign items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class CampaignConnection extends Connection(Campaign, 'Campaign') {}
