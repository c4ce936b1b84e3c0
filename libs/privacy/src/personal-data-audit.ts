import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Permission, hasPermission, type Caller } from '#libs/auth';

/**
 * Decides whether a caller sees personal data unmasked and records every time they do. One row per read
 * (a page of 100 households is one row listing 100 ids), written before the data leaves the service.
 */
@Injectable()
export class PersonalDataAudit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  mayRead(caller: Caller): boolean {
    return hasPermission(caller, Permission.PERSONAL_DATA_READ);
  }

  async recordRead(caller: Caller, entity: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO personal_data_access (user_id, roles, request_id, entity, entity_ids) VALUES ($1, $2, $3, $4, $5::uuid[])`,
      [caller.userId, caller.roles, caller.requestId, entity, ids],
    );
  }
}
