import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { InstitutionKind } from './institution-kind.js';

/** An employer, school, department, property company or media outlet: who notices go to and who acts. */
@Entity('institution')
export class InstitutionEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  kind: InstitutionKind;

  @Column('text')
  name: string;

  /** 统一社会信用代码, 18 characters. */
  @Column('text')
  creditCode: string;

  /** The territory unit it is located in. */
  @Column('uuid')
  orgUnitId: string;

  @Column('timestamptz')
  createdAt: Date;

  /** For a sector unit (下属行业单位): the functional department it belongs to. */
  @Column('uuid', { nullable: true })
  parentId: string | null;
}
