import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from '#libs/pagination';
import { INSTITUTION_KIND_LABEL_ZH, InstitutionKind } from './institution-kind.js';
import type { InstitutionRow } from './institution.entity.js';

@ObjectType('Institution', { description: 'An employer, school, functional department, property company or media outlet.' })
@Directive('@key(fields: "id")')
export class Institution {
  @Field(() => ID, { description: 'Stable id of the institution.' })
  id: string;

  @Field(() => InstitutionKind, { description: 'What the institution is.' })
  kind: InstitutionKind;

  @Field({ description: 'The Chinese term for this kind of institution, e.g. 学校.' })
  labelZh: string;

  @Field({ description: "The institution's name." })
  name: string;

  @Field({ description: 'Unified social credit code (统一社会信用代码).' })
  creditCode: string;

  @Field({ description: 'When it was registered (ISO 8601 timestamp).' })
  createdAt: Date;

  orgUnitId: string;
  parentId: string | null;

  static from(entity: InstitutionRow): Institution {
    return Object.assign(new Institution(), {
      id: entity.id,
      kind: entity.kind,
      labelZh: INSTITUTION_KIND_LABEL_ZH[entity.kind],
      name: entity.name,
      creditCode: entity.creditCode,
      createdAt: entity.createdAt,
      orgUnitId: entity.orgUnitId,
      parentId: entity.parentId ?? null,
    });
  }
}

@ObjectType({
  description:
    'A page of Institution items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class InstitutionConnection extends Connection(Institution, 'Institution') {}
