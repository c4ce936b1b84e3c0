import { Directive, Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { InstitutionRef, OrgUnitRef } from '#libs/references';
import { CAMPAIGN_KIND_LABEL_ZH, CampaignKind, CampaignState, WasteStream } from './campaign-enums.js';
import type { CampaignEntity } from './campaign.entity.js';

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

  static from(entity: CampaignEntity): Campaign {
    return Object.assign(new Campaign(), {
      id: entity.id,
      kind: entity.kind,
      labelZh: CAMPAIGN_KIND_LABEL_ZH[entity.kind],
      name: entity.name,
      state: entity.state,
      startsOn: entity.startsOn,
      endsOn: entity.endsOn,
      targetUnits: entity.targetUnitIds.map(OrgUnitRef.of),
      leadBureau: entity.leadBureauId ? InstitutionRef.of(entity.leadBureauId) : null,
      participatingBureaus: entity.bureauIds.map(InstitutionRef.of),
      wasteStreams: entity.wasteStreams as WasteStream[],
      goalPassRate: entity.goalPassRate,
      requiredActions: entity.requiredActions,
      createdAt: entity.createdAt,
    });
  }
}

@ObjectType({ description: 'A page of Campaign items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.' })
export class CampaignConnection extends Connection(Campaign, 'Campaign') {}
