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

/** How precisely a birth date is known: the day, only the month, or only the year (the day stored is the first). */
export enum BirthDatePrecision {
  DAY = 'DAY',
  MONTH = 'MONTH',
  YEAR = 'YEAR',
}

registerEnumType(BirthDatePrecision, {
  name: 'BirthDatePrecision', description: "How precisely a resident's birth date is known (day, month or year); decides when they come of age.",
  valuesMap: {
    DAY: { description: '精确到日' },
    MONTH: { description: '精确到月：按该月最后一天计算是否成年' },
    YEAR: { description: '精确到年：按该年最后一天计算是否成年' },
  },
});

/** Residents under 18 are minors: never named in a notice, a disclosure or to media. */
export const ADULT_AGE = 18;

/**
 * Whether someone born on `birthDate` (YYYY-MM-DD, known to `precision`) is under 18 on `on` (YYYY-MM-DD). A date
 * known only to the month or year counts from the latest possible day of that period, so whoever could still be under
 * 18 is a minor. The SQL twin is `minor_on(birth_date, precision, on)` (migration 1796000000361); keep them in step.
 */
export function isMinorOn(birthDate: string, precision: BirthDatePrecision, on: string): boolean {
  const [year, month, day] = birthDate.slice(0, 10).split('-').map(Number);
  const latest =
    precision === BirthDatePrecision.YEAR ? [year, 12, 31]
    : precision === BirthDatePrecision.MONTH ? [year, month, new Date(Date.UTC(year, month, 0)).getUTCDate()]
    : [year, month, day];
  // 18th birthday, as SQL's `+ interval '18 years'` gives it (29 February → 28 February in a common year).
  const adultYear = latest[0] + ADULT_AGE;
  const adultDay = Math.min(latest[2], new Date(Date.UTC(adultYear, latest[1], 0)).getUTCDate());
  const adultOn = `${adultYear}-${String(latest[1]).padStart(2, '0')}-${String(adultDay).padStart(2, '0')}`;
  return on < adultOn;
}

/** The recorded ground for disclosing a resident's grade publicly (媒体公示); without one, never disclosed. */
export enum DisclosureBasis {
  NONE = 'NONE',
  CONSENT = 'CONSENT',
  REGULATION = 'REGULATION',
}

registerEnumType(DisclosureBasis, {
  name: 'DisclosureBasis', description: "The legal ground on which a household's grade may be disclosed publicly with a resident's (masked) name.",
  valuesMap: {
    NONE: { description: '未登记公示依据：不公示' },
    CONSENT: { description: '本人同意' },
    REGULATION: { description: '依据法规或村规民约' },
  },
});
