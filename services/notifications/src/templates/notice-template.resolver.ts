import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Permission, requirePermission, type Caller } from '#libs/auth';
import { CurrentCaller, ParseUuidPipe } from '#libs/platform';
import { NoticeTemplate, NoticeTemplateConnection, NoticeTemplatesArgs } from './notice-template.model.js';
import { NoticeTemplateService } from './notice-template.service.js';

@Resolver(() => NoticeTemplate)
export class NoticeTemplateResolver {
  constructor(private readonly templates: NoticeTemplateService) {}

  @Query(() => NoticeTemplate)
  noticeTemplate(@CurrentCaller() caller: Caller, @Args('id', { type: () => ID }, ParseUuidPipe) id: string): Promise<NoticeTemplate> {
    requirePermission(caller, Permission.NOTICE_TEMPLATE_READ);
    return this.templates.get(id);
  }

  @Query(() => NoticeTemplateConnection, { description: 'Notice templates by kind, newest version first.' })
  noticeTemplates(@CurrentCaller() caller: Caller, @Args() args: NoticeTemplatesArgs): Promise<NoticeTemplateConnection> {
    requirePermission(caller, Permission.NOTICE_TEMPLATE_READ);
    return this.templates.list(args);
  }
}
