import { registerEnumType } from '@nestjs/graphql';

export enum CampaignKind {
  QUARTERLY_JOINT_ACTION = 'QUARTERLY_JOINT_ACTION',
  CLEAN_ORDERLY = 'CLEAN_ORDERLY',
  SPECIAL_ACTION = 'SPECIAL_ACTION',
}

export const CAMPAIGN_KIND_LABEL_ZH: Record<CampaignKind, string> = {
  [CampaignKind.QUARTERLY_JOINT_ACTION]: '季度管执联动行动',
  [CampaignKind.CLEAN_ORDERLY]: '潔美有序行动',
  [CampaignKind.SPECIAL_ACTION]: '垃圾分类专项行动',
};

/** DRAFT → SCHEDULED → ACTIVE → COMPLETED → REPORTED. */
export enum CampaignState {
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  REPORTED = 'REPORTED',
}

registerEnumType(CampaignKind, {
  name: 'CampaignKind',
  description: 'What kind of campaign (专项行动) it is; each value carries its Chinese name as description.',
  valuesMap: Object.fromEntries(Object.entries(CAMPAIGN_KIND_LABEL_ZH).map(([kind, zh]) => [kind, { description: zh }])),
});

registerEnumType(CampaignState, {
  name: 'CampaignState',
  description: 'Where a campaign is in its life: DRAFT → SCHEDULED → ACTIVE → COMPLETED → REPORTED (figures frozen).',
  valuesMap: {
    DRAFT: { description: '草稿' },
    SCHEDULED: { description: '已排期' },
    ACTIVE: { description: '进行中' },
    COMPLETED: { description: '已完成' },
    REPORTED: { description: '已总结上报' },
  },
});

/** The four streams of the district's sorting (the same enum as the households service's). */
export enum WasteStream {
  KITCHEN = 'KITCHEN',
  RECYCLABLE = 'RECYCLABLE',
  HAZARDOUS = 'HAZARDOUS',
  OTHER = 'OTHER',
}

registerEnumType(WasteStream, {
  name: 'WasteStream',
  description: 'The four waste streams residents sort into (垃圾分类类别).',
  valuesMap: {
    KITCHEN: { description: '厨余垃圾' },
    RECYCLABLE: { description: '可回收物' },
    HAZARDOUS: { description: '有害垃圾' },
    OTHER: { description: '其他垃圾' },
  },
});
