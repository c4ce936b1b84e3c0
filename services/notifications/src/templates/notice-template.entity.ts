import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { NoticeKind } from './notice-kind.js';

/**
 * The wording of one kind of notice, as data: the district edits it without a deploy, and every notice records the
 * template version it was rendered from. One version per kind and locale is active.
 */
@Entity('notice_template')
export class NoticeTemplateEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  kind: NoticeKind;

  @Column('text')
  locale: string;

  @Column('integer')
  version: number;

  @Column('text')
  subject: string;

  /** Plain-text body with {{placeholders}}. */
  @Column('text')
  textBody: string;

  /** HTML body with the same placeholders; values are HTML-escaped when rendered. */
  @Column('text')
  htmlBody: string;

  @Column('boolean')
  active: boolean;

  @Column('timestamptz')
  createdAt: Date;
}
