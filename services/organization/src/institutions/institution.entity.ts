import type { InstitutionKind } from './institution-kind.js';

/*
 * A row of the `institution` table as the service selects it (columns camel-cased). The table is read and written with
 * SQL only, so this is not a TypeORM entity.
 */

/** An employer, school, department, property company or media outlet: who notices go to and who acts. */
export interface InstitutionRow {
  id: string;
  kind: InstitutionKind;
  name: string;
  /** 统一社会信用代码, 18 characters. */
  creditCode: string;
  /** The territory unit it is located in. */
  orgUnitId: string;
  createdAt: Date;
  /** For a sector unit (下属行业单位): the functional department it belongs to. */
  parentId: string | null;
}
