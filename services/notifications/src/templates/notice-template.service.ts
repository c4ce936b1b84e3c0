import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqlParams } from '#libs/database';
import { DomainError } from '#libs/errors';
import { keysetAfter, pageRequest, toConnection, type ConnectionShape } from '#libs/pagination';
import type { NoticeTemplateEntity } from './notice-template.entity.js';
import { NoticeTemplate, type NoticeTemplatesArgs } from './notice-template.model.js';

const COLUMNS = `id, kind, locale, version, subject, text_body AS "textBody", html_body AS "htmlBody", active, created_at AS "createdAt"`;

@Injectable()
export class NoticeTemplateService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(id: string): Promise<NoticeTemplate> {
    const [row]: NoticeTemplateEntity[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM notice_template WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound('NoticeTemplate', id);
    return NoticeTemplate.from(row);
  }

  /** Templates by kind, newest version first within a kind. */
  async list(args: NoticeTemplatesArgs): Promise<ConnectionShape<NoticeTemplate>> {
    const page = pageRequest(args, 3);
    const params = new SqlParams();
    const where: string[] = [];
    if (args.kind) where.push(`kind = ${params.add(args.kind)}`);
    if (args.activeOnly) where.push('active');
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const countParams = [...params.values];
    // Keyset on (kind, -version, id) so that newer versions come first.
    if (page.after) where.push(keysetAfter(['kind', '-version', 'id'], page.after, (v) => params.add(v)));
    const rows: NoticeTemplateEntity[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM notice_template ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY kind, -version, id LIMIT ${params.add(page.limit + 1)}`,
      params.values,
    );
    return toConnection(rows, page, (row) => [row.kind, -row.version, row.id], NoticeTemplate.from, async () => {
      const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM notice_template ${filter}`, countParams);
      return count as number;
    });
  }
}
