import type { OrgUnitKind } from './org-unit-kind.js';

/*
 * A row of the `org_unit` table as the service selects it (columns camel-cased). The table is read and written with
 * SQL only, so this is not a TypeORM entity.
 */

/** A node of the territory tree. `path` holds the ancestor ids root-first, ending with the unit's own id. */
export interface OrgUnitRow {
  id: string;
  kind: OrgUnitKind;
  code: string;
  name: string;
  parentId: string | null;
  path: string[];
  /** Grows on every change of the row (including path changes from moving an ancestor); copies use it to order updates. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
