import { Module } from '@nestjs/common';
import { NoticeTemplateResolver } from './notice-template.resolver.js';
import { NoticeTemplateService } from './notice-template.service.js';

@Module({ providers: [NoticeTemplateService, NoticeTemplateResolver] })
export class TemplatesModule {}
