import { registerEnumType } from '@nestjs/graphql';

export enum NoticeKind {
  PRAISE_LETTER = 'PRAISE_LETTER',
  REMINDER_NOTICE = 'REMINDER_NOTICE',
  PUBLIC_DISCLOSURE = 'PUBLIC_DISCLOSURE',
  /** A praise letter or reminder about a minor, addressed to the guardian through the school: month and grade only. */
  GUARDIAN_NOTICE = 'GUARDIAN_NOTICE',
}

export const NOTICE_KIND_LABEL_ZH: Record<NoticeKind, string> = {
  [NoticeKind.PRAISE_LETTER]: '垃圾分类表扬信',
  [NoticeKind.REMINDER_NOTICE]: '垃圾分类提醒单',
  [NoticeKind.PUBLIC_DISCLOSURE]: '媒体公示',
  [NoticeKind.GUARDIAN_NOTICE]: '致家长告知书',
};

registerEnumType(NoticeKind, {
  name: 'NoticeKind',
  description: 'What a notice is: a praise letter (表扬信) or a reminder notice (提醒函); each value carries its Chinese name.',
  valuesMap: Object.fromEntries(Object.entries(NOTICE_KIND_LABEL_ZH).map(([kind, zh]) => [kind, { description: zh }])),
});
