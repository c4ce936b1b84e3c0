import { ArgsType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { NOTICE_KIND_LABEL_ZH, NoticeKind } from './notice-kind.js';
import type { NoticeTemplateEntity } from './notice-template.entity.js';

@ObjectType('NoticeTemplate', { description: 'The zh-CN wording of praise letters, reminder notices and public disclosures.' })
export class NoticeTemplate {
  @Field(() => ID)
  id: string;

  @Field(() => NoticeKind)
  kind: NoticeKind;

  @Field({ description: 'The Chinese name of the notice kind.' })
  labelZh: string;

  @Field()
  locale: string;

  @Field(() => Int)
  version: number;

  @Field()
  active: boolean;

  @Field()
  subject: string;

  @Field()
  textBody: string;

  @Field()
  htmlBody: string;

  @Field(() => [String], { description: 'The {{placeholders}} the template expects, in order of first use.' })
  placeholders: string[];

  @Field()
  createdAt: Date;

  static from(entity: NoticeTemplateEntity): NoticeTemplate {
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

@ObjectType({ description: 'A page of NoticeTemplate items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.' })
export class NoticeTemplateConnection extends Connection(NoticeTemplate, 'NoticeTemplate') {}

@ArgsType()
export class NoticeTemplatesArgs extends PageArgs {
  @Field(() => NoticeKind, { nullable: true })
  kind?: NoticeKind | null;

  @Field(() => Boolean, { nullable: true, description: 'Only the version in use for each kind.' })
  activeOnly?: boolean | null;
}
