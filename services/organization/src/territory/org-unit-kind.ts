import { registerEnumType } from '@nestjs/graphql';

/** Levels of the territory tree, top down. A unit's parent is always exactly one level up. */
export enum OrgUnitKind {
  DISTRICT = 'DISTRICT',
  STREET = 'STREET',
  COMMUNITY = 'COMMUNITY',
  COMPOUND = 'COMPOUND',
}

export const ORG_UNIT_LEVELS: readonly OrgUnitKind[] = [
  OrgUnitKind.DISTRICT,
  OrgUnitKind.STREET,
  OrgUnitKind.COMMUNITY,
  OrgUnitKind.COMPOUND,
];

export const ORG_UNIT_KIND_LABEL_ZH: Record<OrgUnitKind, string> = {
  [OrgUnitKind.DISTRICT]: '区',
  [OrgUnitKind.STREET]: '镇街',
  [OrgUnitKind.COMMUNITY]: '社区/村',
  [OrgUnitKind.COMPOUND]: '小区',
};

/** The kind a parent of `kind` must have, or null for the root. */
export function parentKindOf(kind: OrgUnitKind): OrgUnitKind | null {
  const level = ORG_UNIT_LEVELS.indexOf(kind);
  return level > 0 ? ORG_UNIT_LEVELS[level - 1] : null;
}

const ORG_UNIT_KIND_EN: Record<OrgUnitKind, string> = {
  [OrgUnitKind.DISTRICT]: 'the district, the root of the tree.',
  [OrgUnitKind.STREET]: 'a street or town, under the district.',
  [OrgUnitKind.COMMUNITY]: 'a community or village, under a street.',
  [OrgUnitKind.COMPOUND]: 'a residential compound, under a community; households live in compounds.',
};

registerEnumType(OrgUnitKind, {
  name: 'OrgUnitKind',
  description: 'Level of the territory tree: 区 → 镇街 → 社区/村 → 小区.',
  valuesMap: Object.fromEntries(
    Object.entries(ORG_UNIT_KIND_LABEL_ZH).map(([kind, zh]) => [kind, { description: `${zh}: ${ORG_UNIT_KIND_EN[kind as OrgUnitKind]}` }]),
  ),
});
