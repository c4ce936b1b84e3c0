import { DomainError } from '#libs/errors';
import { DistrictRuleSets } from '#libs/rule-sets';

/**
 * A street's property-company assessment rules (物业管理考核办法) as data: the weight of each of the score's four parts,
 * versioned per street (a street without its own uses the default, version 1: cases alone). Each part scores 0–100:
 *
 * - cases: 100 − 2 × opened − 5 × not rectified − 10 × penalised (penalties overturned or revoked since do not count);
 * - rectification: the share of the month's follow-ups that found the violation rectified (CLOSED rather than
 *   NOT_RECTIFIED); 100 without follow-ups;
 * - compoundPassRate: the share of the company's households in its compounds graded QUALIFIED or BASICALLY_QUALIFIED
 *   that month; 100 before the month is graded;
 * - citizenReports: 100 − 5 × citizen reports about its compounds submitted in the month (rejected and duplicate ones
 *   do not count).
 *
 * The score is the weighted sum, rounded; the weights are each 0–1 and sum to 1.
 */
export interface PropertyAssessmentWeights {
  cases: number;
  rectification: number;
  compoundPassRate: number;
  citizenReports: number;
}

export const CASE_POINTS = { opened: 2, notRectified: 5, penalised: 10 } as const;
export const POINTS_PER_REPORT = 5;
const PARTS: (keyof PropertyAssessmentWeights)[] = ['cases', 'rectification', 'compoundPassRate', 'citizenReports'];
/** Weights are sent as decimals (0.35); their sum is 1 within this tolerance of floating-point addition. */
const SUM_TOLERANCE = 1e-9;

/** The weights, or BAD_USER_INPUT: each a number from 0 to 1 (INVALID_WEIGHT), together 1 (WEIGHTS_DO_NOT_SUM_TO_ONE). */
export function parseWeights(input: PropertyAssessmentWeights): PropertyAssessmentWeights {
  for (const part of PARTS) {
    const weight = input[part];
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 1) {
      throw DomainError.badInput(`The weight of ${part} must be a number from 0 to 1`, 'INVALID_WEIGHT', { part });
    }
  }
  const sum = PARTS.reduce((total, part) => total + input[part], 0);
  if (Math.abs(sum - 1) > SUM_TOLERANCE) {
    throw DomainError.badInput(`The weights must sum to 1; these sum to ${Number(sum.toFixed(6))}`, 'WEIGHTS_DO_NOT_SUM_TO_ONE', { sum });
  }
  return Object.fromEntries(PARTS.map((part) => [part, input[part]])) as unknown as PropertyAssessmentWeights;
}

export const PROPERTY_ASSESSMENT_RULE_SETS = new DistrictRuleSets<PropertyAssessmentWeights>(
  'property_assessment_rule_set',
  'property assessment rules',
);
