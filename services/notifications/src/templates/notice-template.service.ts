import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqlParams, queryFirst } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import type { NoticeTemplateRow } from './notice-template.entity.js';
import { NoticeTemplate, type NoticeTemplatesArgs } from './notice-template.model.js';

const COLUMNS = `id, kind, locale, version, subject, text_body AS "textBody", html_body AS "htmlBody", active, created_at AS "createdAt"`;

@Injectable()
export class NoticeTemplateService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(id: string): Promise<NoticeTemplate> {
    const row = await queryFirst<NoticeTemplateRow>(this.dataSource, `SELECT ${COLUMNS} FROM notice_template WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound('NoticeTemplate', id);
    return NoticeTemplate.from(row);
  }

  /** Templates by kind, newest version first within a kind (the keyset sorts on minus the version). */
  async list(args: NoticeTemplatesArgs): Promise<ConnectionShape<NoticeTemplate>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (args.kind) where.push(`kind = ${params.add(args.kind)}`);
    if (args.activeOnly) where.push('active');
    return fetchKeysetPage<NoticeTemplateRow, NoticeTemplate>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'notice_template',
        where,
        params,
        orderBy: ['kind', '-version', 'id'],
        keyOf: (row) => [row.kind, -row.version, row.id],
      },
      (rows) => rows.map((row) => NoticeTemplate.from(row)),
    );
  }
}
