/**
 * Who is a minor. Anything about minors is personal data of the most protected kind (never named in a notice, a
 * disclosure or to media), and more than one service needs the same answer, so the rule lives here once.
 */

/** How precisely a birth date is known: the day, only the month, or only the year (the day stored is the first). */
export enum BirthDatePrecision {
  DAY = 'DAY',
  MONTH = 'MONTH',
  YEAR = 'YEAR',
}

/** Residents under 18 are minors: never named in a notice, a disclosure or to media. */
export const ADULT_AGE = 18;

/**
 * Whether someone born on `birthDate` (YYYY-MM-DD, known to `precision`) is under 18 on `on` (YYYY-MM-DD). A date
 * known only to the month or year counts from the latest possible day of that period, so whoever could still be under
 * 18 is a minor. The SQL twin is `minor_on(birth_date, precision, on)` (households' migration 1796000000361); keep them in step.
 */
export function isMinorOn(birthDate: string, precision: BirthDatePrecision, on: string): boolean {
  const [year, month, day] = birthDate.slice(0, 10).split('-').map(Number);
  const latest =
    precision === BirthDatePrecision.YEAR
      ? [year, 12, 31]
      : precision === BirthDatePrecision.MONTH
        ? [year, month, new Date(Date.UTC(year, month, 0)).getUTCDate()]
        : [year, month, day];
  // 18th birthday, as SQL's `+ interval '18 years'` gives it (29 February → 28 February in a common year).
  const adultYear = latest[0] + ADULT_AGE;
  const adultDay = Math.min(latest[2], new Date(Date.UTC(adultYear, latest[1], 0)).getUTCDate());
  const adultOn = `${adultYear}-${String(latest[1]).padStart(2, '0')}-${String(adultDay).padStart(2, '0')}`;
  return on < adultOn;
}
