import { stringify } from 'csv-stringify/sync';
import { shanghaiWallClock } from '#libs/calendar';
import { escapeHtml } from '#libs/html';
import { METRICS, MetricUnit, type MetricDefinition, type MetricFigure, type MetricKey, type UnitMetrics } from './metric-definitions.js';

/**
 * The monthly report of one street, rendered as CSV (Excel users and scripts) and as a printable,
 * self-contained HTML page. Pure functions: no I/O, no clock, no locale; the caller gathers the figures.
 */
export interface StreetMonthlyReport {
  /** The street's own totals for the month. */
  street: UnitMetrics;
  /** Each community directly below the street, for the same month, in code order. */
  units: UnitMetrics[];
  /** The street's totals for up to 12 months ending with the report month, oldest first. */
  trend: UnitMetrics[];
  generatedAt: Date;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared checks and number formats
// ---------------------------------------------------------------------------------------------------------------

/** Refuses a report whose parts disagree (a community of another month, a trend that is not the street's). */
function checkReport(report: StreetMonthlyReport): void {
  const { street, units, trend } = report;
  for (const unit of units) {
    if (unit.month !== street.month) {
      throw new Error(`Community ${unit.unitCode} is for ${unit.month}, the report is for ${street.month}`);
    }
  }
  for (let i = 0; i < trend.length; i++) {
    if (trend[i].unitCode !== street.unitCode) {
      throw new Error(`The trend holds ${trend[i].unitCode}, not the street ${street.unitCode}`);
    }
    if (i > 0 && trend[i - 1].month >= trend[i].month) throw new Error('The trend months are not oldest first');
  }
  if (trend.length > 0 && trend[trend.length - 1].month !== street.month) {
    throw new Error(`The trend ends with ${trend[trend.length - 1].month}, not the report month ${street.month}`);
  }
}

function figureOf(unit: UnitMetrics, key: MetricKey): MetricFigure {
  const figure = unit.figures.find((candidate) => candidate.key === key);
  if (!figure) throw new Error(`${unit.unitCode} (${unit.month}) has no ${key} figure`);
  return figure;
}

/** Kilograms with exactly 2 decimals, households as integers: the CSV form. */
function plainAmount(amount: number, unit: MetricUnit): string {
  return amount.toFixed(unit === MetricUnit.KILOGRAMS ? 2 : 0);
}

/** Groups the integer part in thousands: 1234567.5 → 1,234,567.50 (no locale data needed). */
function groupedAmount(amount: number, unit: MetricUnit): string {
  // Households have no fraction: split then gives one part, and the default.
  const [whole, fraction = ''] = plainAmount(amount, unit).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === '' ? grouped : `${grouped}.${fraction}`;
}

function amountWithUnit(amount: number, unit: MetricUnit): string {
  return unit === MetricUnit.KILOGRAMS ? `${groupedAmount(amount, unit)} kg` : `${groupedAmount(amount, unit)} 户`;
}

/** A 0–1 figure as a percentage with 1 decimal (0.7071 → 70.7%), rounded half up on whole basis points. */
function percent(value: number): string {
  const tenths = Math.round(Math.round(value * 10_000) / 10);
  const sign = tenths < 0 ? '-' : '';
  const magnitude = Math.abs(tenths);
  return `${sign}${Math.floor(magnitude / 10)}.${magnitude % 10}%`;
}

const NO_VALUE = '—';

/** What officials call a unit of each level; a report is laid out for a street, but any unit with units below it works. */
const KIND_ZH: Record<string, string> = { DISTRICT: '区', STREET: '街道', COMMUNITY: '社区', COMPOUND: '小区' };

/** The report's own unit and the units below it, in words: 街道 and 社区 for a street. */
function levelWords(report: StreetMonthlyReport): { own: string; below: string } {
  return { own: KIND_ZH[report.street.unitKind] ?? '单位', below: KIND_ZH[report.units[0]?.unitKind ?? ''] ?? '下级单位' };
}

function percentOrDash(value: number | null): string {
  return value === null ? NO_VALUE : percent(value);
}

// ---------------------------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------------------------

const CSV_HEADER = [
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
] as const;

/** A text cell a spreadsheet would read as a formula gets a leading apostrophe (CSV/formula injection). */
function textCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvRows(unit: UnitMetrics): string[][] {
  return METRICS.map((metric) => {
    const figure = figureOf(unit, metric.key);
    return [
      textCell(unit.month),
      textCell(unit.unitCode),
      textCell(unit.unitName),
      textCell(unit.unitKind),
      textCell(metric.key),
      textCell(metric.labelZh),
      plainAmount(figure.numerator, metric.unit),
      plainAmount(figure.denominator, metric.unit),
      textCell(metric.unit),
      figure.value === null ? '' : figure.value.toFixed(4),
      metric.target === null ? '' : metric.target.toFixed(4),
      String(figure.recordCount),
      textCell(metric.formula),
    ];
  });
}

/**
 * One row per unit and metric: the street's figures first, then each community's, metrics in METRICS order.
 * UTF-8 with a byte-order mark (so Excel reads the Chinese), CRLF line ends, RFC 4180 quoting.
 */
export function renderReportCsv(report: StreetMonthlyReport): string {
  checkReport(report);
  const rows: string[][] = [[...CSV_HEADER], ...csvRows(report.street), ...report.units.flatMap(csvRows)];
  // RFC 4180 quoting: csv-stringify quotes a field holding a comma, a quote or the record delimiter (CRLF); a lone CR or
  // LF inside a text must be quoted as well, or a reader would start a new record there.
  return stringify(rows, { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

// ---------------------------------------------------------------------------------------------------------------
// File name
// ---------------------------------------------------------------------------------------------------------------

/** `metrics-<street code>-<YYYY-MM>.<extension>`, ASCII only (anything else in the code or month becomes `_`). */
export function reportFileName(report: StreetMonthlyReport, extension: 'csv' | 'html'): string {
  const ascii = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '_') || '_';
  return `metrics-${ascii(report.street.unitCode)}-${ascii(report.street.month)}.${extension}`;
}

// ---------------------------------------------------------------------------------------------------------------
// HTML (polyglot: parses as HTML5 and as XML)
// ---------------------------------------------------------------------------------------------------------------

/** Characters XML 1.0 does not allow at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF): dropped. */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text and attribute values alike (libs/html), after dropping what XML does not allow. */
function esc(text: string): string {
  return escapeHtml(text.replace(NOT_XML, ''));
}

/** The Shanghai wall-clock time of `at`, as shown and as a machine-readable attribute. */
function shanghaiTime(at: Date): { text: string; iso: string } {
  const local = shanghaiWallClock(at).toISOString();
  return { text: `${local.slice(0, 10)} ${local.slice(11, 16)}`, iso: `${local.slice(0, 19)}+08:00` };
}

const COLOUR = {
  belowTarget: '#d4900a', // amber
  atTarget: '#2e7d32', // green
  noTarget: '#1f6fb4', // blue
  trend: '#1f3f66',
  grid: '#d4d4d4',
  axis: '#777777',
  text: '#000000',
} as const;

function barColour(value: number | null, target: number | null): string {
  if (target === null || value === null) return COLOUR.noTarget;
  return value >= target ? COLOUR.atTarget : COLOUR.belowTarget;
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));
/** Coordinates with at most one decimal keep the markup short. */
const px = (value: number) => String(Math.round(value * 10) / 10);

/** A rough width of a label at 12px: CJK and full-width characters are square, the rest about 7px. */
function labelWidth(text: string): number {
  let width = 0;
  for (const char of text) width += (char.codePointAt(0) ?? 0) >= 0x2e80 ? 12 : 7;
  return width;
}

function fitLabel(text: string, maxWidth: number): string {
  if (labelWidth(text) <= maxWidth) return text;
  let out = '';
  for (const char of text) {
    if (labelWidth(`${out}${char}…`) > maxWidth) break;
    out += char;
  }
  return `${out}…`;
}

interface SvgText {
  x: number;
  y: number;
  text: string;
  size?: number;
  anchor?: 'start' | 'middle' | 'end';
  bold?: boolean;
  attrs?: string;
}

function svgText({ x, y, text, size = 11, anchor = 'start', bold = false, attrs = '' }: SvgText): string {
  const weight = bold ? ' font-weight="bold"' : '';
  return `<text x="${px(x)}" y="${px(y)}" font-size="${size}" text-anchor="${anchor}" fill="${COLOUR.text}"${weight}${attrs}>${esc(text)}</text>`;
}

const CHART_WIDTH = 680;
const ROW_HEIGHT = 22;
const BAR_HEIGHT = 14;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

/**
 * One chart per metric: (a) a bar per community and one for the street on a 0–100% axis, the target as a dashed
 * vertical line; (b) below it the street's trend over the report's months as a polyline with a point per month.
 */
function metricChart(metric: MetricDefinition, report: StreetMonthlyReport): string {
  const { street, units, trend } = report;
  const rows = [
    ...units.map((unit) => ({ unit, label: unit.unitName, isStreet: false })),
    { unit: street, label: `${street.unitName}（${levelWords(report).own}合计）`, isStreet: true },
  ];
  const labelsWidth = Math.min(220, Math.max(80, ...rows.map((row) => labelWidth(row.label))));
  const plotX = 8 + labelsWidth + 8;
  const plotWidth = CHART_WIDTH - plotX - 64;
  const xOf = (value: number) => plotX + clamp01(value) * plotWidth;
  const out: string[] = [];

  // (a) bars
  const barsTop = 26;
  const barsBottom = barsTop + rows.length * ROW_HEIGHT;
  out.push('<g class="bars">');
  for (const tick of TICKS) {
    out.push(
      `<line x1="${px(xOf(tick))}" y1="${barsTop - 4}" x2="${px(xOf(tick))}" y2="${barsBottom}" stroke="${COLOUR.grid}" stroke-width="1"/>`,
    );
    out.push(svgText({ x: xOf(tick), y: barsTop - 8, text: percent(tick).replace('.0%', '%'), size: 10, anchor: 'middle' }));
  }
  rows.forEach(({ unit, label, isStreet }, index) => {
    const figure = figureOf(unit, metric.key);
    const y = barsTop + index * ROW_HEIGHT;
    const width = figure.value === null ? 0 : clamp01(figure.value) * plotWidth;
    if (isStreet) out.push(`<line x1="8" y1="${y}" x2="${CHART_WIDTH - 8}" y2="${y}" stroke="${COLOUR.axis}" stroke-width="0.8"/>`);
    out.push(svgText({ x: plotX - 6, y: y + 15, text: fitLabel(label, labelsWidth), size: 12, anchor: 'end', bold: isStreet }));
    out.push(
      `<rect x="${px(plotX)}" y="${y + (ROW_HEIGHT - BAR_HEIGHT) / 2}" width="${px(width)}" height="${BAR_HEIGHT}" ` +
        `fill="${barColour(figure.value, metric.target)}" data-unit="${esc(unit.unitCode)}" ` +
        `data-value="${figure.value === null ? '' : figure.value.toFixed(4)}"/>`,
    );
    out.push(svgText({ x: plotX + width + 4, y: y + 15, text: percentOrDash(figure.value), bold: isStreet }));
  });
  out.push(
    `<line x1="${px(plotX)}" y1="${barsBottom}" x2="${px(plotX + plotWidth)}" y2="${barsBottom}" stroke="${COLOUR.axis}" stroke-width="1"/>`,
  );
  if (metric.target !== null) {
    const x = xOf(metric.target);
    out.push(
      `<line class="target" data-target="${metric.target.toFixed(4)}" x1="${px(x)}" y1="${barsTop - 4}" x2="${px(x)}" y2="${barsBottom + 4}" ` +
        `stroke="${COLOUR.text}" stroke-width="1.2" stroke-dasharray="4 3"/>`,
    );
    const nearRight = x > plotX + plotWidth * 0.8;
    out.push(
      svgText({
        x: nearRight ? x - 3 : x + 3,
        y: barsBottom + 14,
        text: `目标 ${percent(metric.target)}`,
        size: 10,
        anchor: nearRight ? 'end' : 'start',
      }),
    );
  }
  out.push('</g>');

  // (b) the street's trend
  const trendTitleY = barsBottom + 38;
  const trendTop = trendTitleY + 18;
  const trendHeight = 100;
  const trendBottom = trendTop + trendHeight;
  const trendLeft = 48;
  const trendRight = CHART_WIDTH - 24;
  const yOf = (value: number) => trendBottom - clamp01(value) * trendHeight;
  const xAt = (index: number) =>
    trend.length === 1 ? (trendLeft + trendRight) / 2 : trendLeft + 20 + (index * (trendRight - trendLeft - 40)) / (trend.length - 1);
  out.push(`<g class="trend" data-months="${trend.length}">`);
  out.push(svgText({ x: 8, y: trendTitleY, text: `${street.unitName} 近 ${trend.length} 个月趋势 (street trend)`, size: 12, bold: true }));
  for (const tick of [0, 0.5, 1]) {
    out.push(
      `<line x1="${trendLeft}" y1="${px(yOf(tick))}" x2="${trendRight}" y2="${px(yOf(tick))}" stroke="${COLOUR.grid}" stroke-width="1"/>`,
    );
    out.push(svgText({ x: trendLeft - 4, y: yOf(tick) + 3, text: percent(tick).replace('.0%', '%'), size: 10, anchor: 'end' }));
  }
  out.push(`<line x1="${trendLeft}" y1="${trendBottom}" x2="${trendRight}" y2="${trendBottom}" stroke="${COLOUR.axis}" stroke-width="1"/>`);
  if (metric.target !== null) {
    const y = yOf(metric.target);
    out.push(
      `<line class="target" data-target="${metric.target.toFixed(4)}" x1="${trendLeft}" y1="${px(y)}" x2="${trendRight}" y2="${px(y)}" ` +
        `stroke="${COLOUR.text}" stroke-width="1" stroke-dasharray="4 3"/>`,
    );
  }
  if (trend.length === 0) {
    out.push(
      svgText({ x: (trendLeft + trendRight) / 2, y: trendTop + trendHeight / 2, text: '无趋势数据 (no trend data)', anchor: 'middle' }),
    );
  }
  // A month without a figure breaks the line rather than being bridged.
  const points = trend.map((month, index) => ({ month: month.month, value: figureOf(month, metric.key).value, x: xAt(index) }));
  let run: string[] = [];
  const endRun = () => {
    if (run.length > 1) out.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${COLOUR.trend}" stroke-width="1.6"/>`);
    run = [];
  };
  for (const point of points) {
    if (point.value === null) endRun();
    else run.push(`${px(point.x)},${px(yOf(point.value))}`);
  }
  endRun();
  for (const point of points) {
    const month = esc(point.month);
    if (point.value === null) {
      out.push(svgText({ x: point.x, y: trendBottom - 4, text: NO_VALUE, size: 10, anchor: 'middle', attrs: ` data-month="${month}"` }));
    } else {
      const y = yOf(point.value);
      out.push(
        `<circle cx="${px(point.x)}" cy="${px(y)}" r="3" fill="${COLOUR.trend}" data-month="${month}" data-value="${point.value.toFixed(4)}"/>`,
      );
      out.push(svgText({ x: point.x, y: y - 6, text: percent(point.value), size: 9, anchor: 'middle' }));
    }
    out.push(svgText({ x: point.x, y: trendBottom + 14, text: point.month, size: 9, anchor: 'middle' }));
  }
  out.push('</g>');

  const height = trendBottom + 24;
  const target = metric.target === null ? '无目标' : `目标 ${percent(metric.target)}`;
  const { own, below } = levelWords(report);
  const label = `${metric.labelZh}（${metric.label}）：${units.length} 个${below}与${own}合计，${target}；${own}近 ${trend.length} 个月趋势`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(label)}" data-metric="${esc(metric.key)}" ` +
    `width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}" ` +
    `font-family="'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif">\n${out.join('\n')}\n</svg>`
  );
}

const STYLE = `
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; color: #000; background: #fff; margin: 24px; font-size: 13px; line-height: 1.45; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 20px 0 6px; padding-bottom: 2px; border-bottom: 1px solid #999; }
.meta, .legend, .formula, .records { margin: 2px 0; }
.legend, .records { font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.en { font-size: 11px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 8px; vertical-align: baseline; }
svg { display: block; max-width: 100%; height: auto; margin-top: 6px; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { margin: 0; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  section.metric, svg { break-inside: avoid; page-break-inside: avoid; }
}
`;

function summaryTable(street: UnitMetrics): string {
  const rows = METRICS.map((metric) => {
    const figure = figureOf(street, metric.key);
    return (
      `<tr><td>${esc(metric.labelZh)}<br/><span class="en">${esc(metric.label)}</span></td>` +
      `<td class="num">${esc(percentOrDash(figure.value))}</td>` +
      `<td class="num">${esc(amountWithUnit(figure.numerator, metric.unit))} / ${esc(amountWithUnit(figure.denominator, metric.unit))}</td>` +
      `<td class="num">${esc(groupedAmount(figure.recordCount, MetricUnit.HOUSEHOLDS))}</td>` +
      `<td class="num">${metric.target === null ? NO_VALUE : esc(percent(metric.target))}</td></tr>`
    );
  });
  return (
    '<table>\n<thead><tr><th>指标 Metric</th><th>数值 Value</th><th>分子 / 分母 Numerator / denominator</th>' +
    '<th>记录数 Records</th><th>目标 Target</th></tr></thead>\n' +
    `<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`
  );
}

/**
 * A printable A4 page that needs nothing else (no scripts, fonts, images or stylesheets): a summary of the street's
 * figures, then each metric's formula and chart. Polyglot markup, so it parses as HTML and as XML alike.
 */
export function renderReportHtml(report: StreetMonthlyReport): string {
  checkReport(report);
  const { street } = report;
  const title = `${street.unitName} ${street.month} 垃圾分类月度报告`;
  const generated = shanghaiTime(report.generatedAt);
  const swatch = (colour: string) => `<span class="swatch" style="background: ${colour}"></span>`;
  const sections = METRICS.map(
    (metric) =>
      `<section class="metric" id="metric-${esc(metric.key)}">\n` +
      `<h2>${esc(metric.labelZh)} <span class="en">${esc(metric.label)}</span></h2>\n` +
      `<p class="formula">计算方法 Formula：${esc(metric.formula)}</p>\n` +
      `<p class="records">记录数统计 Records：${esc(metric.records)}</p>\n` +
      `${metricChart(metric, report)}\n</section>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN" xml:lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8"/>',
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">生成时间 Generated：<time datetime="${generated.iso}">${generated.text}</time>（北京时间 Asia/Shanghai）` +
      `&#160;·&#160;${levelWords(report).own}代码 ${esc(street.unitCode)}&#160;·&#160;在册 ${esc(amountWithUnit(street.households, MetricUnit.HOUSEHOLDS))}` +
      `&#160;·&#160;本月收运 ${esc(amountWithUnit(street.collectedKg, MetricUnit.KILOGRAMS))}</p>`,
    '</header>',
    '<section class="summary">',
    `<h2>指标汇总 Summary（${esc(street.unitName)}）</h2>`,
    summaryTable(street),
    `<p class="legend">图例 Legend：${swatch(COLOUR.atTarget)}达到目标 at/above target${swatch(COLOUR.belowTarget)}低于目标 below target` +
      `${swatch(COLOUR.noTarget)}无目标 no target；虚线为目标值 dashed line: target；“${NO_VALUE}” 表示分母为 0 (no denominator)</p>`,
    '</section>',
    ...sections,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
