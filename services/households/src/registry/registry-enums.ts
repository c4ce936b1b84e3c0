import { registerEnumType } from '@nestjs/graphql';

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

/** Residents under 18 in the current year are minors: their data is never disclosed and never leaves masked. */
export const ADULT_AGE = 18;

export function isMinor(birthYear: number, now = new Date()): boolean {
  const year = Number(now.toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }).slice(0, 4));
  return year - birthYear < ADULT_AGE;
}

/** The recorded ground for disclosing a resident's grade publicly (媒体公示); without one, never disclosed. */
export enum DisclosureBasis {
  NONE = 'NONE',
  CONSENT = 'CONSENT',
  REGULATION = 'REGULATION',
}

registerEnumType(DisclosureBasis, {
  name: 'DisclosureBasis',
  valuesMap: {
    NONE: { description: '未登记公示依据：不公示' },
    CONSENT: { description: '本人同意' },
    REGULATION: { description: '依据法规或村规民约' },
  },
});
