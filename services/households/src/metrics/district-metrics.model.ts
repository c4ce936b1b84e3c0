import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { OrgUnitRef } from '#libs/references';
import { METRIC_BY_KEY, MetricKey, MetricUnit, type MetricFigure, type UnitMetrics } from './metric-definitions.js';
import type { MetricsOfMonth } from './district-metrics.service.js';

registerEnumType(MetricKey, {
  name: 'MetricKey',
  description: "The district's headline figures.",
  // Each value says what it measures in the words of its definition, the same text as the figure's `formula`.
  valuesMap: Object.fromEntries(
    [...METRIC_BY_KEY].map(([key, definition]) => [key, { description: `${definition.labelZh}: ${definition.formula}.` }]),
  ),
});
registerEnumType(MetricUnit, {
  name: 'MetricUnit',
  description: "What a figure's numerator and denominator count.",
  valuesMap: {
    KILOGRAMS: { description: 'Numerator and denominator are weights in kilograms.' },
    HOUSEHOLDS: { description: 'Numerator and denominator count households.' },
  },
});

const PROVENANCE =
  'numerator ÷ denominator, each summed over the compounds of the unit (never an average of rates), so a unit always equals the sum of ' +
  'the units below it; recordCount is the rows behind the figure. List the collection records with collectionRecords(orgUnitId, from, to).';

@ObjectType('MetricFigure', { description: `One headline figure of one unit and month: ${PROVENANCE}` })
export class MetricFigureModel {
  @Field(() => MetricKey, { description: 'Which figure this is.' })
  key: MetricKey;

  @Field({ description: 'The name officials use, e.g. 回收利用率.' })
  labelZh: string;

  @Field({ description: "The figure's English name, for display." })
  label: string;

  @Field({ description: 'How the figure is computed, in words.' })
  formula: string;

  @Field(() => MetricUnit, { description: 'What numerator and denominator count: kilograms or households.' })
  measuredIn: MetricUnit;

  @Field(() => Float, { description: 'Kilograms (to the hundredth) or households.' })
  numerator: number;

  @Field(() => Float, { description: 'Kilograms (to the hundredth) or households.' })
  denominator: number;

  @Field(() => Float, { nullable: true, description: 'numerator ÷ denominator (0–1, 4 decimals); null when the denominator is 0.' })
  value: number | null;

  @Field(() => Float, { nullable: true, description: "The district's published figure (0–1), where there is one." })
  target: number | null;

  @Field(() => Int, { description: 'Rows the figure is computed from (see formula and the records field of each key).' })
  recordCount: number;

  @Field({ description: 'What recordCount counts.' })
  records: string;

  static from(figure: MetricFigure): MetricFigureModel {
    const definition = METRIC_BY_KEY.get(figure.key)!;
    return Object.assign(new MetricFigureModel(), {
      ...figure,
      labelZh: definition.labelZh,
      label: definition.label,
      formula: definition.formula,
      measuredIn: definition.unit,
      target: definition.target,
      records: definition.records,
    });
  }
}

const formulaOf = (key: MetricKey) => {
  const definition = METRIC_BY_KEY.get(key)!;
  return `${definition.labelZh}: ${definition.formula}. recordCount: ${definition.records}.`;
};

@ObjectType('DistrictMetrics', {
  description: `The district's headline figures for one territory unit and one month (Asia/Shanghai), computed from the records when asked. ${PROVENANCE}`,
})
export class DistrictMetrics {
  @Field(() => OrgUnitRef, { description: 'The unit the figures are for.' })
  orgUnit: OrgUnitRef;

  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => Int, { description: 'Households in the registry under the unit now (the registry keeps no history of moves).' })
  households: number;

  @Field(() => Float, { description: 'Kilograms collected in the month, all streams and destinations.' })
  collectedKg: number;

  @Field(() => MetricFigureModel, { description: formulaOf(MetricKey.COLLECTION_COVERAGE) })
  collectionCoverage: MetricFigureModel;

  @Field(() => MetricFigureModel, { description: formulaOf(MetricKey.RECYCLING_RATE) })
  recyclingRate: MetricFigureModel;

  @Field(() => MetricFigureModel, { description: formulaOf(MetricKey.RESOURCE_UTILISATION_RATE) })
  resourceUtilisationRate: MetricFigureModel;

  @Field(() => MetricFigureModel, { description: formulaOf(MetricKey.HARMLESS_TREATMENT_RATE) })
  harmlessTreatmentRate: MetricFigureModel;

  @Field(() => MetricFigureModel, { description: formulaOf(MetricKey.SORTING_PASS_RATE) })
  sortingPassRate: MetricFigureModel;

  @Field(() => MetricFigureModel, { description: formulaOf(MetricKey.COMMITMENT_LETTER_COVERAGE) })
  commitmentLetterCoverage: MetricFigureModel;

  @Field(() => MetricFigureModel, { description: formulaOf(MetricKey.UPGRADE_RATE) })
  upgradesFromUnqualified: MetricFigureModel;

  @Field(() => [MetricFigureModel], { description: 'Every figure above, in the order of the reports.' })
  figures: MetricFigureModel[];

  @Field(() => [DistrictMetrics], {
    description:
      'The same figures for each unit directly below (streets of a district, communities of a street, compounds of a community), ' +
      "in code order; their numerators and denominators add up to this unit's. Empty below a compound and in districtMetricsRange.",
  })
  children: DistrictMetrics[];

  static from(metrics: UnitMetrics, children: UnitMetrics[] = []): DistrictMetrics {
    const figures = metrics.figures.map((figure) => MetricFigureModel.from(figure));
    const byKey = (key: MetricKey) => figures.find((figure) => figure.key === key)!;
    return Object.assign(new DistrictMetrics(), {
      orgUnit: OrgUnitRef.of(metrics.unitId),
      month: metrics.month,
      households: metrics.households,
      collectedKg: metrics.collectedKg,
      collectionCoverage: byKey(MetricKey.COLLECTION_COVERAGE),
      recyclingRate: byKey(MetricKey.RECYCLING_RATE),
      resourceUtilisationRate: byKey(MetricKey.RESOURCE_UTILISATION_RATE),
      harmlessTreatmentRate: byKey(MetricKey.HARMLESS_TREATMENT_RATE),
      sortingPassRate: byKey(MetricKey.SORTING_PASS_RATE),
      commitmentLetterCoverage: byKey(MetricKey.COMMITMENT_LETTER_COVERAGE),
      upgradesFromUnqualified: byKey(MetricKey.UPGRADE_RATE),
      figures,
      children: children.map((child) => DistrictMetrics.from(child)),
    });
  }

  static ofMonth({ unit, children }: MetricsOfMonth): DistrictMetrics {
    return DistrictMetrics.from(unit, children);
  }
}
