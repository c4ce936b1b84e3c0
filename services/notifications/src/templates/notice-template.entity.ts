import type { NoticeKind } from './notice-kind.js';

/*
 * A row of the `notice_template` table as the service selects it (columns camel-cased). The table is read and written
 * with SQL only, so this is not a TypeORM entity.
 */

/**
 * The wording of one kind of notice, as data: the district edits it without a deploy, and every notice records the
 * template version it was rendered from. One version per kind and locale is active.
 */
export interface NoticeTemplateRow {
  id: string;
  kind: NoticeKind;
  locale: string;
  version: number;
  subject: string;
  /** Plain-text body with {{placeholders}}. */
  textBody: string;
  /** HTML body with the same placeholders; values are HTML-escaped when rendered. */
  htmlBody: string;
  active: boolean;
  createdAt: Date;
}
