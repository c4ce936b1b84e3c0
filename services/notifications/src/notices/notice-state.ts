import { registerEnumType } from '@nestjs/graphql';

/**
 * Where a notice is on its way to the institution:
 * PENDING (generated) → SENT (a webhook request went out) → DELIVERED (an endpoint answered 2xx, or the institution
 * fetched it through the API) → ACKNOWLEDGED (the institution confirmed receipt), or FAILED (every webhook attempt
 * failed; `lastError` says why; fetching or acknowledging it later still moves it on).
 */
export enum NoticeState {
  PENDING = 'PENDING',
  SENT = 'SENT',
  DELIVERED = 'DELIVERED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  FAILED = 'FAILED',
}

export const NOTICE_STATE_LABEL_ZH: Record<NoticeState, string> = {
  [NoticeState.PENDING]: '待发送',
  [NoticeState.SENT]: '已发送',
  [NoticeState.DELIVERED]: '已送达',
  [NoticeState.ACKNOWLEDGED]: '已确认接收',
  [NoticeState.FAILED]: '发送失败',
};

const NOTICE_STATE_EN: Record<NoticeState, string> = {
  [NoticeState.PENDING]: 'made, not yet sent (or held until the objection window closes).',
  [NoticeState.SENT]: 'sent to the institution, delivery not yet confirmed.',
  [NoticeState.DELIVERED]: 'the institution received it.',
  [NoticeState.ACKNOWLEDGED]: 'the institution confirmed receipt (acknowledgeNotice).',
  [NoticeState.FAILED]: 'delivery failed (see lastError).',
};

registerEnumType(NoticeState, {
  name: 'NoticeState',
  description:
    "Where a notice's delivery to its institution is (created, sent, delivered, acknowledged, failed); each value carries its Chinese name.",
  valuesMap: Object.fromEntries(
    Object.entries(NOTICE_STATE_LABEL_ZH).map(([state, zh]) => [state, { description: `${zh}: ${NOTICE_STATE_EN[state as NoticeState]}` }]),
  ),
});

/** Why a notice was withdrawn. */
export enum NoticeWithdrawalReason {
  GRADE_CORRECTED = 'GRADE_CORRECTED',
}

registerEnumType(NoticeWithdrawalReason, {
  name: 'NoticeWithdrawalReason',
  description: 'Why a notice was withdrawn.',
  valuesMap: {
    GRADE_CORRECTED: {
      description:
        '评定已更正: the household’s grade for the month was corrected (late evidence, a re-run, an appeal) and no longer earns this notice.',
    },
  },
});
