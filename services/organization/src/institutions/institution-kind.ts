import { registerEnumType } from '@nestjs/graphql';

export enum InstitutionKind {
  EMPLOYER = 'EMPLOYER',
  SCHOOL = 'SCHOOL',
  DEPARTMENT = 'DEPARTMENT',
  PROPERTY_COMPANY = 'PROPERTY_COMPANY',
  MEDIA = 'MEDIA',
}

export const INSTITUTION_KIND_LABEL_ZH: Record<InstitutionKind, string> = {
  [InstitutionKind.EMPLOYER]: '单位',
  [InstitutionKind.SCHOOL]: '学校',
  [InstitutionKind.DEPARTMENT]: '职能部门',
  [InstitutionKind.PROPERTY_COMPANY]: '物业公司',
  [InstitutionKind.MEDIA]: '媒体',
};

registerEnumType(InstitutionKind, {
  name: 'InstitutionKind',
  description:
    'What an institution is (employer, school, property company, government department, …); each value carries its Chinese name.',
  valuesMap: Object.fromEntries(Object.entries(INSTITUTION_KIND_LABEL_ZH).map(([kind, zh]) => [kind, { description: zh }])),
});
