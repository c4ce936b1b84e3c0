import { describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseCsv } from '../../collection/csv.js';
import { METRICS, MetricKey, ratio, type UnitMetrics } from '../metric-definitions.js';
import { renderReportCsv, renderReportHtml, reportFileName, type StreetMonthlyReport } from '../monthly-report.js';

// ---------------------------------------------------------------------------------------------------------------
// A hand-made street: two communities, three trend months
// ---------------------------------------------------------------------------------------------------------------

/** [numerator, denominator, recordCount] per metric. */
type FigureTable = Record<MetricKey, [number, number, number]>;

interface UnitSpec {
  code: string;
  name: string;
  kind: string;
  month: string;
  households: number;
  collectedKg: number;
}

function unitMetrics(spec: UnitSpec, table: FigureTable): UnitMetrics {
  return {
    unitId: `id-${spec.code}`,
    unitCode: spec.code,
    unitName: spec.name,
    unitKind: spec.kind,
    month: spec.month,
    households: spec.households,
    collectedKg: spec.collectedKg,
    figures: METRICS.map(({ key }) => {
      const [numerator, denominator, recordCount] = table[key];
      return { key, numerator, denominator, value: ratio(numerator, denominator), recordCount };
    }),
  };
}

const MONTH = '2025-06';
const TRICKY_NAME = '"阳光"花园, <东区> & 西区';
const FORMULA_NAME = '=HYPERLINK("http://x") 小区';

const communityA = unitMetrics(
  { code: '310115001001', name: TRICKY_NAME, kind: 'COMMUNITY', month: MONTH, households: 500, collectedKg: 1745.25 },
  {
    COLLECTION_COVERAGE: [480, 500, 62],
    RECYCLING_RATE: [1234.5, 1745.25, 62],
    RESOURCE_UTILISATION_RATE: [1700.1, 1745.25, 62],
    HARMLESS_TREATMENT_RATE: [1745.25, 1745.25, 62],
    SORTING_PASS_RATE: [400, 480, 480],
    COMMITMENT_LETTER_COVERAGE: [350, 500, 350],
    UPGRADE_RATE: [5, 20, 20],
  },
);

const communityB = unitMetrics(
  { code: '310115001002', name: FORMULA_NAME, kind: 'COMMUNITY', month: MONTH, households: 300, collectedKg: 1000 },
  {
    COLLECTION_COVERAGE: [300, 300, 41],
    RECYCLING_RATE: [812.3, 1000, 41],
    RESOURCE_UTILISATION_RATE: [900, 1000, 41],
    HARMLESS_TREATMENT_RATE: [990, 1000, 41],
    SORTING_PASS_RATE: [200, 290, 290],
    COMMITMENT_LETTER_COVERAGE: [150, 300, 150],
    UPGRADE_RATE: [0, 0, 0], // nobody was UNQUALIFIED last month: no figure
  },
);

const streetSpec = (month: string, households = 800, collectedKg = 2745.25): UnitSpec => ({
  code: '310115001',
  name: '花木街道',
  kind: 'STREET',
  month,
  households,
  collectedKg,
});

const street = unitMetrics(streetSpec(MONTH), {
  COLLECTION_COVERAGE: [780, 800, 103],
  RECYCLING_RATE: [2046.8, 2745.25, 103],
  RESOURCE_UTILISATION_RATE: [2600.1, 2745.25, 103],
  HARMLESS_TREATMENT_RATE: [2735.25, 2745.25, 103],
  SORTING_PASS_RATE: [600, 770, 770],
  COMMITMENT_LETTER_COVERAGE: [500, 800, 500],
  UPGRADE_RATE: [5, 20, 20],
});

const streetApril = unitMetrics(streetSpec('2025-04', 790, 2600), {
  COLLECTION_COVERAGE: [700, 790, 90],
  RECYCLING_RATE: [1700, 2600, 90],
  RESOURCE_UTILISATION_RATE: [2400, 2600, 90],
  HARMLESS_TREATMENT_RATE: [2590, 2600, 90],
  SORTING_PASS_RATE: [500, 760, 760],
  COMMITMENT_LETTER_COVERAGE: [420, 790, 420],
  UPGRADE_RATE: [2, 30, 30],
});

const streetMay = unitMetrics(streetSpec('2025-05', 795, 2700), {
  COLLECTION_COVERAGE: [760, 795, 99],
  RECYCLING_RATE: [1900, 2700, 99],
  RESOURCE_UTILISATION_RATE: [2500, 2700, 99],
  HARMLESS_TREATMENT_RATE: [2700, 2700, 99],
  SORTING_PASS_RATE: [560, 765, 765],
  COMMITMENT_LETTER_COVERAGE: [470, 795, 470],
  UPGRADE_RATE: [4, 25, 25],
});

const report = (overrides: Partial<StreetMonthlyReport> = {}): StreetMonthlyReport => ({
  street,
  units: [communityA, communityB],
  trend: [streetApril, streetMay, street],
  generatedAt: new Date('2025-06-30T17:05:00Z'), // 2025-07-01 01:05 in Shanghai
  ...overrides,
});

// ---------------------------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------------------------

describe('renderReportCsv', () => {
  const csv = renderReportCsv(report());
  const records = parseCsv(csv).map((record) => record.fields);
  const [header, ...rows] = records;

  it('is UTF-8 with a byte-order mark and CRLF line ends', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(1 + 3 * 7 + 1); // header, rows, and the empty rest after the final CRLF
    for (const line of lines) expect(line).not.toMatch(/[\r\n]/);
  });

  it('has the header, then the street, then each community, one row per metric in METRICS order', () => {
    expect(header).toEqual([
      'month',
      'unit_code',
      'unit_name',
      'unit_kind',
      'metric',
      'metric_zh',
      'numerator',
      'denominator',
      'measured_in',
      'value',
      'target',
      'record_count',
      'formula',
    ]);
    expect(rows).toHaveLength(21);
    for (const row of rows) expect(row).toHaveLength(13);
    const keys = METRICS.map((metric) => metric.key);
    expect(rows.map((row) => row[1])).toEqual([
      ...Array(7).fill('310115001'),
      ...Array(7).fill('310115001001'),
      ...Array(7).fill('310115001002'),
    ]);
    expect(rows.map((row) => row[4])).toEqual([...keys, ...keys, ...keys]);
    expect(rows.map((row) => row[5])).toEqual([...METRICS, ...METRICS, ...METRICS].map((metric) => metric.labelZh));
    expect(new Set(rows.map((row) => row[0]))).toEqual(new Set([MONTH]));
  });

  it('writes kilograms with 2 decimals, households as integers, the value with 4 decimals or empty, the target or empty', () => {
    const figures = rows.map((row) => [row[6], row[7], row[8], row[9], row[10], row[11]]);
    expect(figures).toEqual([
      // street
      ['780', '800', 'HOUSEHOLDS', '0.9750', '1.0000', '103'],
      ['2046.80', '2745.25', 'KILOGRAMS', '0.7456', '0.7100', '103'],
      ['2600.10', '2745.25', 'KILOGRAMS', '0.9471', '1.0000', '103'],
      ['2735.25', '2745.25', 'KILOGRAMS', '0.9964', '1.0000', '103'],
      ['600', '770', 'HOUSEHOLDS', '0.7792', '0.8500', '770'],
      ['500', '800', 'HOUSEHOLDS', '0.6250', '', '500'],
      ['5', '20', 'HOUSEHOLDS', '0.2500', '', '20'],
      // community A
      ['480', '500', 'HOUSEHOLDS', '0.9600', '1.0000', '62'],
      ['1234.50', '1745.25', 'KILOGRAMS', '0.7073', '0.7100', '62'],
      ['1700.10', '1745.25', 'KILOGRAMS', '0.9741', '1.0000', '62'],
      ['1745.25', '1745.25', 'KILOGRAMS', '1.0000', '1.0000', '62'],
      ['400', '480', 'HOUSEHOLDS', '0.8333', '0.8500', '480'],
      ['350', '500', 'HOUSEHOLDS', '0.7000', '', '350'],
      ['5', '20', 'HOUSEHOLDS', '0.2500', '', '20'],
      // community B
      ['300', '300', 'HOUSEHOLDS', '1.0000', '1.0000', '41'],
      ['812.30', '1000.00', 'KILOGRAMS', '0.8123', '0.7100', '41'],
      ['900.00', '1000.00', 'KILOGRAMS', '0.9000', '1.0000', '41'],
      ['990.00', '1000.00', 'KILOGRAMS', '0.9900', '1.0000', '41'],
      ['200', '290', 'HOUSEHOLDS', '0.6897', '0.8500', '290'],
      ['150', '300', 'HOUSEHOLDS', '0.5000', '', '150'],
      ['0', '0', 'HOUSEHOLDS', '', '', '0'],
    ]);
  });

  it('quotes fields with commas and quotes so they read back unchanged, formulas included', () => {
    expect(rows[7][2]).toBe(TRICKY_NAME);
    expect(csv).toContain('"""阳光""花园, <东区> & 西区"');
    expect(rows.slice(0, 7).map((row) => row[12])).toEqual(METRICS.map((metric) => metric.formula));
  });

  it('puts an apostrophe before a text cell a spreadsheet would run as a formula, and never before a number', () => {
    expect(rows[14][2]).toBe(`'${FORMULA_NAME}`);
    const guarded = renderReportCsv(
      report({
        units: [
          { ...communityA, unitName: '-1+2', unitKind: '@SUM(A1)' },
          { ...communityB, unitName: '\tx' },
        ],
      }),
    );
    const [, ...guardedRows] = parseCsv(guarded).map((record) => record.fields);
    expect(guardedRows[7].slice(2, 4)).toEqual(["'-1+2", "'@SUM(A1)"]);
    expect(guardedRows[14][2]).toBe("'\tx");
    for (const row of guardedRows) for (const index of [6, 7, 9, 10, 11]) expect(row[index]).not.toMatch(/^'/);
  });

  it('refuses a community figure from another month', () => {
    expect(() => renderReportCsv(report({ units: [{ ...communityA, month: '2025-05' }] }))).toThrow('2025-05');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------------------------

type XmlNode = { [key: string]: unknown };

/** Every element named `tag` below `node`, in document order (fast-xml-parser's default object shape). */
function findAll(node: unknown, tag: string): XmlNode[] {
  const found: XmlNode[] = [];
  const visit = (value: unknown, name: string | null) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, name);
      return;
    }
    if (name === tag) found.push(typeof value === 'object' && value !== null ? (value as XmlNode) : { '#text': value });
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) if (!key.startsWith('@_') && key !== '#text') visit(child, key);
  };
  visit(node, null);
  return found;
}

// parseTagValue is off, so an element's text is a string, or absent for an empty element.
const textOf = (node: XmlNode): string => {
  const text = node['#text'];
  return typeof text === 'string' ? text : '';
};
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, htmlEntities: true });

describe('renderReportHtml', () => {
  const html = renderReportHtml(report());
  const document = parser.parse(html) as XmlNode;
  const svgs = findAll(document, 'svg');
  const svgOf = (key: MetricKey) => svgs.find((svg) => svg['@_data-metric'] === key)!;

  it('is polyglot markup: a doctype, then well-formed XML with no HTML-only entities', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html ')).toBe(true);
    expect(XMLValidator.validate(html)).toBe(true);
    expect(html).toContain('<meta charset="utf-8"/>');
    expect(html).not.toMatch(/&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)/);
    const root = findAll(document, 'html')[0];
    expect(root['@_lang']).toBe('zh-CN');
  });

  it('needs nothing from outside: no scripts, links, images, fonts or imported CSS', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import|@font-face/i);
    const style = String(findAll(document, 'style')[0]['#text']);
    expect(style).toMatch(/@media print/);
    expect(style).toMatch(/size: A4/);
    expect(style).toMatch(/break-inside: avoid/);
  });

  it('is titled with the street and month, and states when it was made in Shanghai time', () => {
    expect(textOf(findAll(document, 'title')[0])).toBe('花木街道 2025-06 垃圾分类月度报告');
    expect(textOf(findAll(document, 'h1')[0])).toBe('花木街道 2025-06 垃圾分类月度报告');
    const time = findAll(document, 'time')[0];
    expect(time['@_datetime']).toBe('2025-07-01T01:05:00+08:00');
    expect(textOf(time)).toBe('2025-07-01 01:05');
  });

  it("summarises the street's figures: percentage, numerator / denominator with unit, record count, target", () => {
    const rows = findAll(findAll(document, 'tbody')[0], 'tr');
    expect(rows).toHaveLength(7);
    const cells = rows.map((row) => findAll(row, 'td'));
    expect(textOf(cells[0][0])).toBe('收运覆盖率');
    expect(textOf(findAll(cells[0][0], 'span')[0])).toBe('Collection coverage');
    expect(cells.map((row) => row.slice(1).map(textOf))).toEqual([
      ['97.5%', '780 户 / 800 户', '103', '100.0%'],
      ['74.6%', '2,046.80 kg / 2,745.25 kg', '103', '71.0%'],
      ['94.7%', '2,600.10 kg / 2,745.25 kg', '103', '100.0%'],
      ['99.6%', '2,735.25 kg / 2,745.25 kg', '103', '100.0%'],
      ['77.9%', '600 户 / 770 户', '770', '85.0%'],
      ['62.5%', '500 户 / 800 户', '500', '—'],
      ['25.0%', '5 户 / 20 户', '20', '—'],
    ]);
  });

  it('has one labelled chart per metric, in METRICS order', () => {
    expect(svgs.map((svg) => svg['@_data-metric'])).toEqual(METRICS.map((metric) => metric.key));
    for (const svg of svgs) {
      expect(svg['@_role']).toBe('img');
      expect(String(svg['@_aria-label']).length).toBeGreaterThan(0);
    }
  });

  it('names the levels after the units: 街道 and 社区 for a street, 区 and 街道 for a district', () => {
    expect(svgs[0]['@_aria-label']).toMatch(/2 个社区与街道合计/);
    const asDistrict = (unit: typeof street, kind: string) => ({ ...unit, unitKind: kind });
    const district = parser.parse(
      renderReportHtml(
        report({
          street: asDistrict(street, 'DISTRICT'),
          units: [asDistrict(communityA, 'STREET'), asDistrict(communityB, 'STREET')],
          trend: [asDistrict(streetApril, 'DISTRICT'), asDistrict(streetMay, 'DISTRICT'), asDistrict(street, 'DISTRICT')],
        }),
      ),
    );
    expect(findAll(district, 'svg')[0]['@_aria-label']).toMatch(/2 个街道与区合计，.*；区近 3 个月趋势/);
  });

  it('draws a bar per community and one for the street, carrying each value', () => {
    for (const metric of METRICS) {
      const bars = findAll(svgOf(metric.key), 'rect');
      expect(bars.map((bar) => bar['@_data-unit'])).toEqual(['310115001001', '310115001002', '310115001']);
      const expected = [communityA, communityB, street].map((unit) => {
        const value = unit.figures.find((figure) => figure.key === metric.key)!.value;
        return value === null ? '' : value.toFixed(4);
      });
      expect(bars.map((bar) => bar['@_data-value'])).toEqual(expected);
    }
  });

  it('prints each value beside its bar, and "—" where there is none', () => {
    const texts = (key: MetricKey) => findAll(svgOf(key), 'text').map(textOf);
    expect(texts(MetricKey.RECYCLING_RATE)).toEqual(expect.arrayContaining(['70.7%', '81.2%', '74.6%']));
    expect(texts(MetricKey.UPGRADE_RATE)).toContain('—');
    const nullBar = findAll(svgOf(MetricKey.UPGRADE_RATE), 'rect')[1];
    expect(Number(nullBar['@_width'])).toBe(0);
    for (const metric of METRICS.filter((candidate) => candidate.key !== MetricKey.UPGRADE_RATE)) {
      expect(texts(metric.key)).not.toContain('—');
    }
  });

  it('colours a bar amber under its target, green at or above it, and blue without one', () => {
    const fills = (key: MetricKey) => findAll(svgOf(key), 'rect').map((bar) => String(bar['@_fill']));
    const [underTarget, aboveTarget, streetAbove] = fills(MetricKey.RECYCLING_RATE); // 0.7073, 0.8123, 0.7456 vs 0.71
    const [atTarget] = fills(MetricKey.HARMLESS_TREATMENT_RATE); // 1.0000 vs 1
    const noTarget = fills(MetricKey.COMMITMENT_LETTER_COVERAGE);
    expect(aboveTarget).toBe(streetAbove);
    expect(atTarget).toBe(aboveTarget);
    expect(underTarget).not.toBe(aboveTarget);
    expect(new Set(noTarget).size).toBe(1);
    expect(new Set([underTarget, aboveTarget, noTarget[0]]).size).toBe(3);
  });

  it('draws the target as a dashed line exactly for the metrics that have one', () => {
    for (const metric of METRICS) {
      const targets = findAll(svgOf(metric.key), 'line').filter((line) => line['@_class'] === 'target');
      if (metric.target === null) {
        expect(targets).toHaveLength(0);
      } else {
        expect(targets.length).toBeGreaterThan(0);
        const vertical = targets.find((line) => line['@_x1'] === line['@_x2'])!;
        expect(vertical['@_stroke-dasharray']).toBeTruthy();
        expect(vertical['@_data-target']).toBe(metric.target.toFixed(4));
      }
    }
  });

  it("plots the street's trend with a point per month, oldest first, and labels the months", () => {
    for (const metric of METRICS) {
      const svg = svgOf(metric.key);
      const polylines = findAll(svg, 'polyline');
      expect(polylines).toHaveLength(1);
      expect(String(polylines[0]['@_points']).trim().split(/\s+/)).toHaveLength(3);
      const points = findAll(svg, 'circle');
      expect(points.map((point) => point['@_data-month'])).toEqual(['2025-04', '2025-05', '2025-06']);
      expect(findAll(svg, 'text').map(textOf)).toEqual(expect.arrayContaining(['2025-04', '2025-05', '2025-06']));
    }
  });

  it('breaks the trend line at a month without a figure instead of bridging it', () => {
    const gap = { ...streetMay, figures: streetMay.figures.map((figure) => ({ ...figure, value: null, denominator: 0 })) };
    const svg = findAll(parser.parse(renderReportHtml(report({ trend: [streetApril, gap, street] }))), 'svg')[0];
    expect(findAll(svg, 'polyline')).toHaveLength(0);
    expect(findAll(svg, 'circle').map((point) => point['@_data-month'])).toEqual(['2025-04', '2025-06']);
    const dash = findAll(svg, 'text').find((text) => text['@_data-month'] === '2025-05')!;
    expect(textOf(dash)).toBe('—');
  });

  it('escapes names from the data in text and attributes', () => {
    expect(html).not.toContain('<东区>');
    expect(html).toContain('&quot;阳光&quot;花园, &lt;东区&gt; &amp; 西区');
    const labels = findAll(svgOf(MetricKey.RECYCLING_RATE), 'text').map(textOf);
    expect(labels).toContain(TRICKY_NAME);
    const hostile = renderReportHtml(
      report({ units: [{ ...communityA, unitCode: "\"><x y='1'>" }, communityB], street: { ...street, unitName: "<b>'街道'</b>\u0001" } }),
    );
    expect(XMLValidator.validate(hostile)).toBe(true);
    expect(hostile).not.toMatch(/<x |<b>/);
    const hostileBars = findAll(findAll(parser.parse(hostile), 'svg')[0], 'rect');
    expect(hostileBars[0]['@_data-unit']).toBe("\"><x y='1'>");
  });
});

describe('reportFileName', () => {
  it('names the file by street code and month, in ASCII only', () => {
    expect(reportFileName(report(), 'csv')).toBe('metrics-310115001-2025-06.csv');
    expect(reportFileName(report(), 'html')).toBe('metrics-310115001-2025-06.html');
    const odd = reportFileName(report({ street: { ...street, unitCode: '花木/01 ..' } }), 'csv');
    expect(odd).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(odd).toBe('metrics-___01___-2025-06.csv');
  });
});
