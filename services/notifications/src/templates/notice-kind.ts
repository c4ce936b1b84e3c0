import { registerEnumType } from '@nestjs/graphql';

export enum NoticeKind {
  PRAISE_LETTER = 'PRAISE_LETTER',
  REMINDER_NOTICE = 'REMINDER_NOTICE',
  PUBLIC_DISCLOSURE = 'PUBLIC_DISCLOSURE',
}

export const NOTICE_KIND_LABEL_ZH: Record<NoticeKind, string> = {
  [NoticeKind.PRAISE_LETTER]: '垃圾分类表扬信',
  [NoticeKind.REMINDER_NOTICE]: '垃圾分类提醒单',
  [NoticeKind.PUBLIC_DISCLOSURE]: '媒体公示',
};

registerEnumType(NoticeKind, {
  name: 'NoticeKind',
  valuesMap: Object.fromEntries(Object.entries(NOTICE_KIND_LABEL_ZH).map(([kind, zh]) => [kind, { description: zh }])),
});
