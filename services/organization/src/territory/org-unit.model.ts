import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from '#libs/pagination';
import { ORG_UNIT_KIND_LABEL_ZH, OrgUnitKind } from './org-unit-kind.js';
import type { OrgUnitRow } from './org-unit.entity.js';

@ObjectType('OrgUnit', {
  description: 'A unit of the territory tree: the district, a street (镇街), a community (社区/村) or a compound (小区).',
})
@Directive('@key(fields: "id")')
export class OrgUnit {
  @Field(() => ID, { description: 'Stable id of the unit.' })
  id: string;

  @Field(() => OrgUnitKind, { description: 'DISTRICT, STREET, COMMUNITY or COMPOUND.' })
  kind: OrgUnitKind;

  @Field({ description: 'The Chinese term for this kind of unit, e.g. 镇街.' })
  labelZh: string;

  @Field({ description: 'Administrative division code (统计用区划代码), or one derived from the parent for compounds.' })
  code: string;

  @Field({ description: "The unit's name, unique among its parent's children." })
  name: string;

  @Field({ description: 'When it was created (ISO 8601 timestamp).' })
  createdAt: Date;

  @Field({ description: 'When it last changed (ISO 8601 timestamp).' })
  updatedAt: Date;

  parentId: string | null;
  path: string[];

  static from(entity: OrgUnitRow): OrgUnit {
    return Object.assign(new OrgUnit(), {
      id: entity.id,
      kind: entity.kind,
      labelZh: ORG_UNIT_KIND_LABEL_ZH[entity.kind],
      code: entity.code,
      name: entity.name,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
      parentId: entity.parentId,
      path: entity.path,
    });
  }
}

@ObjectType({
  description: 'A page of OrgUnit items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class OrgUnitConnection extends Connection(OrgUnit, 'OrgUnit') {}
