import { registerEnumType } from '@nestjs/graphql';
import { BirthDatePrecision } from '#libs/privacy';

export enum Occupation {
  EMPLOYED = 'EMPLOYED',
  STUDENT = 'STUDENT',
  RETIRED = 'RETIRED',
  FREELANCE = 'FREELANCE',
  OTHER = 'OTHER',
}

export const OCCUPATION_LABEL_ZH: Record<Occupation, string> = {
  [Occupation.EMPLOYED]: '在职',
  [Occupation.STUDENT]: '学生',
  [Occupation.RETIRED]: '退休',
  [Occupation.FREELANCE]: '自由职业',
  [Occupation.OTHER]: '其他',
};

registerEnumType(Occupation, {
  name: 'Occupation',
  description: 'Decides where notices go: employers for EMPLOYED, schools for STUDENT, public disclosure for RETIRED and FREELANCE.',
  valuesMap: Object.fromEntries(Object.entries(OCCUPATION_LABEL_ZH).map(([value, zh]) => [value, { description: zh }])),
});

registerEnumType(BirthDatePrecision, {
  name: 'BirthDatePrecision',
  description: "How precisely a resident's birth date is known (day, month or year); decides when they come of age.",
  valuesMap: {
    DAY: { description: '精确到日' },
    MONTH: { description: '精确到月：按该月最后一天计算是否成年' },
    YEAR: { description: '精确到年：按该年最后一天计算是否成年' },
  },
});

/** The recorded ground for disclosing a resident's grade publicly (媒体公示); without one, never disclosed. */
export enum DisclosureBasis {
  NONE = 'NONE',
  CONSENT = 'CONSENT',
  REGULATION = 'REGULATION',
}

registerEnumType(DisclosureBasis, {
  name: 'DisclosureBasis',
  description: "The legal ground on which a household's grade may be disclosed publicly with a resident's (masked) name.",
  valuesMap: {
    NONE: { description: '未登记公示依据：不公示' },
    CONSENT: { description: '本人同意' },
    REGULATION: { description: '依据法规或村规民约' },
  },
});
