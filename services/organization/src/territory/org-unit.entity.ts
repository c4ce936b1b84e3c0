import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrgUnitKind } from './org-unit-kind.js';

/** A node of the territory tree. `path` holds the ancestor ids root-first, ending with the unit's own id. */
@Entity('org_unit')
export class OrgUnitEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  kind: OrgUnitKind;

  @Column('text')
  code: string;

  @Column('text')
  name: string;

  @Column('uuid', { nullable: true })
  parentId: string | null;

  @Column('uuid', { array: true })
  path: string[];

  /** Grows on every change of the row (including path changes from moving an ancestor); copies use it to order updates. */
  @Column('integer')
  version: number;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz')
  updatedAt: Date;
}
