import { ArgsType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { NOTICE_KIND_LABEL_ZH, NoticeKind } from './notice-kind.js';
import type { NoticeTemplateRow } from './notice-template.entity.js';

@ObjectType('NoticeTemplate', { description: 'The zh-CN wording of praise letters, reminder notices and public disclosures.' })
export class NoticeTemplate {
  @Field(() => ID, { description: 'Stable id of the template version.' })
  id: string;

  @Field(() => NoticeKind, { description: 'The notice kind it renders.' })
  kind: NoticeKind;

  @Field({ description: 'The Chinese name of the notice kind.' })
  labelZh: string;

  @Field({ description: 'The language, e.g. zh-CN.' })
  locale: string;

  @Field(() => Int, { description: 'Version number, growing by one per kind and locale.' })
  version: number;

  @Field({ description: 'Whether this is the version in use for its kind and locale.' })
  active: boolean;

  @Field({ description: 'The subject line, with {{placeholders}}.' })
  subject: string;

  @Field({ description: 'The plain-text body, with {{placeholders}}.' })
  textBody: string;

  @Field({ description: 'The HTML body, with {{placeholders}} (escaped when rendered).' })
  htmlBody: string;

  @Field(() => [String], { description: 'The {{placeholders}} the template expects, in order of first use.' })
  placeholders: string[];

  @Field({ description: 'When the version was created (ISO 8601 timestamp).' })
  createdAt: Date;

  static from(entity: NoticeTemplateRow): NoticeTemplate {
    return Object.assign(new NoticeTemplate(), {
      ...entity,
      labelZh: NOTICE_KIND_LABEL_ZH[entity.kind],
      placeholders: placeholdersOf(entity.subject + entity.textBody + entity.htmlBody),
    });
  }
}

export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([a-zA-Z][a-zA-Z0-9]*)\s*\}\}/g)].map((m) => m[1]))];
}

@ObjectType({
  description:
    'A page of NoticeTemplate items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class NoticeTemplateConnection extends Connection(NoticeTemplate, 'NoticeTemplate') {}

@ArgsType()
export class NoticeTemplatesArgs extends PageArgs {
  @Field(() => NoticeKind, { nullable: true, description: 'Only templates of this kind.' })
  kind?: NoticeKind | null;

  @Field(() => Boolean, { nullable: true, description: 'Only the version in use for each kind.' })
  activeOnly?: boolean | null;
}
