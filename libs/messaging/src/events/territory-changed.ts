/** One org unit as it is now. `version` grows with every change, so copies apply snapshots in any order. */
export interface TerritoryUnitSnapshot {
  id: string;
  parentId: string | null;
  kind: 'DISTRICT' | 'STREET' | 'COMMUNITY' | 'COMPOUND';
  code: string;
  name: string;
  /** Ancestor ids from the root down to and including this unit. */
  path: string[];
  version: number;
}

/** Emitted on create, rename and move; a move carries every unit of the moved subtree. */
export interface TerritoryChangedPayload {
  units: TerritoryUnitSnapshot[];
}

/** One institution as it is now; `version` grows with every change, so copies apply snapshots in any order. */
export interface InstitutionSnapshot {
  id: string;
  kind: 'EMPLOYER' | 'SCHOOL' | 'DEPARTMENT' | 'PROPERTY_COMPANY' | 'MEDIA';
  name: string;
  version: number;
}

export interface InstitutionsChangedPayload {
  institutions: InstitutionSnapshot[];
}
