import type { CollectionDestination, WasteStream } from '../collection/collection-enums.js';

/** A destination by its value, as the SQL compares it. */
type Destination = `${CollectionDestination}`;

/**
 * The district's headline figures, each a numerator over a denominator that adds up over the territory tree:
 * a unit's figure is the sum of its compounds' numerators over the sum of their denominators, never an average of
 * rates. The formulas here are the one source for the API descriptions, the CSV report and the printable report.
 */
export enum MetricKey {
  COLLECTION_COVERAGE = 'COLLECTION_COVERAGE',
  RECYCLING_RATE = 'RECYCLING_RATE',
  RESOURCE_UTILISATION_RATE = 'RESOURCE_UTILISATION_RATE',
  HARMLESS_TREATMENT_RATE = 'HARMLESS_TREATMENT_RATE',
  SORTING_PASS_RATE = 'SORTING_PASS_RATE',
  COMMITMENT_LETTER_COVERAGE = 'COMMITMENT_LETTER_COVERAGE',
  UPGRADE_RATE = 'UPGRADE_RATE',
}

/** What a numerator and denominator count. */
export enum MetricUnit {
  KILOGRAMS = 'KILOGRAMS',
  HOUSEHOLDS = 'HOUSEHOLDS',
}

export interface MetricDefinition {
  key: MetricKey;
  labelZh: string;
  label: string;
  unit: MetricUnit;
  /** The formula in words, as the API descriptions and both reports state it. */
  formula: string;
  /** What `recordCount` counts: the rows behind the figure. */
  records: string;
  /** The district's published figure (0–1), shown beside the computed one; null where none is published. */
  target: number | null;
}

/** Destinations that turn waste back into material or compost (再生资源利用, 厨余处理). */
export const RECYCLING_DESTINATIONS: readonly Destination[] = ['RECYCLING_PLANT', 'KITCHEN_TREATMENT'];
/** Destinations that recover material or energy (waste-to-energy incineration counts, landfill does not). */
export const UTILISATION_DESTINATIONS: readonly Destination[] = ['RECYCLING_PLANT', 'KITCHEN_TREATMENT', 'INCINERATION'];
/**
 * Where each stream may go and count as harmlessly treated (无害化处理): a facility fit for it. Sanitary landfill and
 * incineration are harmless for ordinary waste; hazardous waste is harmlessly treated only at a hazardous-waste facility.
 */
export const HARMLESS_DESTINATIONS: Readonly<Record<WasteStream, readonly Destination[]>> = {
  KITCHEN: ['KITCHEN_TREATMENT', 'INCINERATION', 'LANDFILL'],
  RECYCLABLE: ['RECYCLING_PLANT', 'INCINERATION', 'LANDFILL'],
  OTHER: ['INCINERATION', 'LANDFILL'],
  HAZARDOUS: ['HAZARDOUS_TREATMENT'],
};

export const METRICS: readonly MetricDefinition[] = [
  {
    key: MetricKey.COLLECTION_COVERAGE,
    labelZh: '收运覆盖率',
    label: 'Collection coverage',
    unit: MetricUnit.HOUSEHOLDS,
    formula:
      'households in compounds with at least one collection record in the month (at a collection point or the compound) ÷ all households in the registry',
    records: 'collection records of the month',
    target: 1,
  },
  {
    key: MetricKey.RECYCLING_RATE,
    labelZh: '回收利用率',
    label: 'Recycling rate',
    unit: MetricUnit.KILOGRAMS,
    formula: 'kg delivered to recycling plants and kitchen-waste treatment ÷ all kg collected in the month',
    records: 'collection records of the month',
    target: 0.71,
  },
  {
    key: MetricKey.RESOURCE_UTILISATION_RATE,
    labelZh: '资源化利用率',
    label: 'Resource-utilisation rate',
    unit: MetricUnit.KILOGRAMS,
    formula:
      'kg delivered to recycling plants, kitchen-waste treatment and waste-to-energy incineration ÷ kg collected except what went to hazardous-waste treatment',
    records: 'collection records of the month',
    target: 1,
  },
  {
    key: MetricKey.HARMLESS_TREATMENT_RATE,
    labelZh: '无害化处理率',
    label: 'Harmless-treatment rate',
    unit: MetricUnit.KILOGRAMS,
    formula:
      'kg delivered to a facility fit for its stream (kitchen: kitchen treatment, incineration, landfill; recyclable: recycling, incineration, landfill; ' +
      'other: incineration, landfill; hazardous: hazardous-waste treatment only) ÷ all kg collected in the month',
    records: 'collection records of the month',
    target: 1,
  },
  {
    key: MetricKey.SORTING_PASS_RATE,
    labelZh: '分类质量达标率',
    label: 'Sorting-quality pass rate',
    unit: MetricUnit.HOUSEHOLDS,
    formula: 'households graded QUALIFIED or BASICALLY_QUALIFIED for the month ÷ households graded for the month (NO_EVIDENCE left out)',
    records: 'monthly grades of the month',
    target: 0.85,
  },
  {
    key: MetricKey.COMMITMENT_LETTER_COVERAGE,
    labelZh: '承诺书签订率',
    label: 'Commitment-letter coverage',
    unit: MetricUnit.HOUSEHOLDS,
    formula: 'households with a commitment letter signed by the last day of the month ÷ all households in the registry',
    records: 'commitment letters signed by the end of the month',
    target: null,
  },
  {
    key: MetricKey.UPGRADE_RATE,
    labelZh: '不合格户转化率',
    label: 'Upgrades from UNQUALIFIED',
    unit: MetricUnit.HOUSEHOLDS,
    formula:
      'households graded QUALIFIED this month that were graded UNQUALIFIED the month before ÷ households graded UNQUALIFIED the month before',
    records: 'monthly grades of the month before graded UNQUALIFIED',
    target: null,
  },
];

export const METRIC_BY_KEY: ReadonlyMap<MetricKey, MetricDefinition> = new Map(METRICS.map((metric) => [metric.key, metric]));

/** One figure of one unit and month: the numerator and denominator it comes from, and the rows behind it. */
export interface MetricFigure {
  key: MetricKey;
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator, rounded to 4 decimals; null when the denominator is 0. */
  value: number | null;
  recordCount: number;
}

/** Every figure of one territory unit for one month. */
export interface UnitMetrics {
  unitId: string;
  unitCode: string;
  unitName: string;
  unitKind: string;
  /** YYYY-MM */
  month: string;
  households: number;
  collectedKg: number;
  /** In the order of METRICS. */
  figures: MetricFigure[];
}

export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;
}
