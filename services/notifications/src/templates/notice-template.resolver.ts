import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { ParseUuidPipe } from '#libs/platform';
import { NoticeTemplate, NoticeTemplateConnection, NoticeTemplatesArgs } from './notice-template.model.js';
import { NoticeTemplateService } from './notice-template.service.js';

@Resolver(() => NoticeTemplate)
export class NoticeTemplateResolver {
  constructor(private readonly templates: NoticeTemplateService) {}

  @Query(() => NoticeTemplate, { description: 'One notice template version.' })
  noticeTemplate(@Args('id', { type: () => ID, description: "The template's id." }, ParseUuidPipe) id: string): Promise<NoticeTemplate> {
    return this.templates.get(id);
  }

  @Query(() => NoticeTemplateConnection, { description: 'Notice templates by kind, newest version first.' })
  noticeTemplates(@Args() args: NoticeTemplatesArgs): Promise<NoticeTemplateConnection> {
    return this.templates.list(args);
  }
}
