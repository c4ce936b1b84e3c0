import { registerEnumType } from '@nestjs/graphql';
import { describedValues } from '#libs/platform';

/**
 * Where a month's public disclosure is: DRAFT (prepared from the grades, refreshed by corrections, entries may be
 * excluded) → APPROVED (by someone other than its last editor; frozen) → PUBLISHED (text rendered and kept), or
 * WITHDRAWN (from any of these; final).
 */
export enum DisclosureState {
  DRAFT = 'DRAFT',
  APPROVED = 'APPROVED',
  PUBLISHED = 'PUBLISHED',
  WITHDRAWN = 'WITHDRAWN',
}

export const DISCLOSURE_STATE_LABEL_ZH: Record<DisclosureState, string> = {
  [DisclosureState.DRAFT]: '草稿',
  [DisclosureState.APPROVED]: '已审核',
  [DisclosureState.PUBLISHED]: '已公示',
  [DisclosureState.WITHDRAWN]: '已撤回',
};

/** What a household's grade earned, as the disclosure says it. */
export enum DisclosureEntryKind {
  PRAISE = 'PRAISE',
  REMINDER = 'REMINDER',
}

export const DISCLOSURE_ENTRY_KIND_LABEL_ZH: Record<DisclosureEntryKind, string> = {
  [DisclosureEntryKind.PRAISE]: '表扬',
  [DisclosureEntryKind.REMINDER]: '提醒',
};

/** Every action on a disclosure, as its audit log records it. */
export enum DisclosureAction {
  PREPARED = 'PREPARED',
  REFRESHED = 'REFRESHED',
  ENTRY_EXCLUDED = 'ENTRY_EXCLUDED',
  ENTRY_INCLUDED = 'ENTRY_INCLUDED',
  APPROVED = 'APPROVED',
  PUBLISHED = 'PUBLISHED',
  WITHDRAWN = 'WITHDRAWN',
  /** A grade corrected after approval would change the disclosure; it was not applied. */
  CORRECTION_PENDING = 'CORRECTION_PENDING',
}

const ACTION_LABEL_ZH: Record<DisclosureAction, string> = {
  [DisclosureAction.PREPARED]: '生成草稿',
  [DisclosureAction.REFRESHED]: '按更正的评价更新草稿',
  [DisclosureAction.ENTRY_EXCLUDED]: '移出名单',
  [DisclosureAction.ENTRY_INCLUDED]: '恢复列入名单',
  [DisclosureAction.APPROVED]: '审核通过',
  [DisclosureAction.PUBLISHED]: '公示发布',
  [DisclosureAction.WITHDRAWN]: '撤回',
  [DisclosureAction.CORRECTION_PENDING]: '审核后评价更正（未应用）',
};

registerEnumType(DisclosureState, {
  name: 'PublicDisclosureState',
  description: 'Where a monthly public disclosure is: DRAFT → APPROVED → PUBLISHED, or WITHDRAWN.',
  valuesMap: describedValues(DISCLOSURE_STATE_LABEL_ZH),
});
registerEnumType(DisclosureEntryKind, {
  name: 'DisclosureEntryKind',
  description: 'Whether an entry of a public disclosure earns praise or a reminder.',
  valuesMap: describedValues(DISCLOSURE_ENTRY_KIND_LABEL_ZH),
});
registerEnumType(DisclosureAction, {
  name: 'PublicDisclosureAction',
  description: "What a step in a public disclosure's history did (prepare, exclude, include, approve, publish, withdraw, refresh).",
  valuesMap: describedValues(ACTION_LABEL_ZH),
});
