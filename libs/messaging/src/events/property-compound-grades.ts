/**
 * One compound's graded and passing households of a month, for one property company (the households of the compound
 * that name it). Counts only: no household, resident or address.
 */
export interface PropertyCompoundGrades {
  compoundId: string;
  propertyCompanyId: string;
  /** Households graded in the month (with evidence). */
  graded: number;
  /** Of them, QUALIFIED or BASICALLY_QUALIFIED. */
  passed: number;
}

/**
 * households → enforcement: a district's month of grades per compound and property company, announced with the month
 * (`monthly-evaluation.completed`), in chunks of at most PROPERTY_COMPOUNDS_PER_EVENT. enforcement's property-company
 * assessment reads the pass rates of a company's compounds, and which compounds it manages, from them.
 */
export interface PropertyCompoundGradesSummarisedPayload {
  month: string;
  districtId: string;
  compounds: PropertyCompoundGrades[];
}

export const PROPERTY_COMPOUNDS_PER_EVENT = 1000;
