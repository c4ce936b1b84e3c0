import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parser } from '@prometheus-io/lezer-promql';
import { parse } from 'yaml';
import { METRIC_CATALOGUE, createProcessMetrics, seriesNames, type MetricName } from '#libs/platform';
import { repoRoot } from '../repo-root.js';

/*
 * deploy/monitoring holds what an operator imports as it is: Prometheus alert rules and a Grafana dashboard. Both are
 * checked here without Prometheus or Grafana: every expression parses with the parser Prometheus's own editor uses,
 * every series they name is one the platform exports (its catalogue, libs/platform, which metrics.e2e-spec proves a
 * live scrape holds, and Node's defaults as prom-client registers them), and every runbook is a section of
 * docs/operations.md.
 */

const root = repoRoot();
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Every series name a scrape of some process may hold. */
async function exportedNames(): Promise<Set<string>> {
  const names = new Set((Object.keys(METRIC_CATALOGUE) as MetricName[]).flatMap(seriesNames));
  // Node's defaults, as this prom-client names them (with the platform's prefix).
  for (const metric of await createProcessMetrics('check').registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

/** Grafana's interval variables are not PromQL; they stand for a duration. */
const withoutGrafanaVariables = (expr: string) => expr.replace(/\$__(rate_interval|interval|range)\b/g, '5m');

/** Parses one PromQL expression: the problems the parse found (error nodes) and the metric names it selects. */
export function readPromQL(expr: string): { errors: string[]; metrics: string[] } {
  const errors: string[] = [];
  const metrics: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`error at ${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 10), node.to + 10))}`);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') metrics.push(expr.slice(node.from, node.to));
    },
  });
  return { errors, metrics };
}

/** GitHub's anchor of a Markdown heading. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string; description?: string; runbook?: string };
}

interface Panel {
  id: number;
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: { refId?: string; expr?: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
}

describe('the PromQL check itself', () => {
  it('finds a broken expression and names the metrics of a valid one', () => {
    expect(readPromQL('sum(rate(waste_jobs_completed_total[5m]) by').errors).not.toEqual([]);
    expect(readPromQL('sum by (queue) (rate(waste_jobs_completed_total{final="true"}[5m])) / on() group_left vector(1)')).toEqual({
      errors: [],
      metrics: ['waste_jobs_completed_total'],
    });
  });
});

describe('deploy/monitoring/alert-rules.yaml', () => {
  const file = parse(read('deploy/monitoring/alert-rules.yaml')) as { groups: { name: string; rules: Rule[] }[] };
  const rules = file.groups.flatMap((group) => group.rules);
  const headings = new Set(
    read('docs/operations.md')
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .map((line) => anchorOf(line.replace(/^#+/, ''))),
  );

  it('is a Prometheus rule file: named groups of alerts with an expression, a wait, a severity and what to tell', () => {
    expect(file.groups.length).toBeGreaterThan(0);
    for (const group of file.groups) expect(group).toEqual({ name: expect.any(String), rules: expect.any(Array) });
    expect(rules.length).toBeGreaterThanOrEqual(10);
    for (const rule of rules) {
      expect(Object.keys(rule).sort()).toEqual(['alert', 'annotations', 'expr', 'for', 'labels']);
      expect(rule.alert).toMatch(/^Waste[A-Za-z]+$/);
      expect(rule.for).toMatch(/^\d+[smhd]$/);
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary?.length).toBeGreaterThan(10);
      expect(rule.annotations?.description?.length).toBeGreaterThan(10);
    }
    const names = rules.map((rule) => rule.alert);
    expect(new Set(names).size).toBe(names.length);
  });

  it('covers what an operator pages on', () => {
    const expected = [
      'WasteEvaluationStuck',
      'WasteEvaluationNotProgressing',
      'WasteMonthNotEvaluated',
      'WasteWebhookDeliveriesFailing',
      'WasteOutboxLag',
      'WasteJobsFailing',
      'WasteGraphQLErrorRate',
    ];
    expect(rules.map((rule) => rule.alert)).toEqual(expect.arrayContaining(expected));
  });

  it('has expressions that parse and name only series the platform exports', async () => {
    const exported = await exportedNames();
    for (const rule of rules) {
      const { errors, metrics } = readPromQL(rule.expr!);
      expect({ alert: rule.alert, errors }).toEqual({ alert: rule.alert, errors: [] });
      expect(metrics.length).toBeGreaterThan(0);
      expect({ alert: rule.alert, unknown: metrics.filter((name) => !exported.has(name)) }).toEqual({ alert: rule.alert, unknown: [] });
    }
  });

  it('points each alert at its own section of docs/operations.md', () => {
    for (const rule of rules) {
      expect(rule.annotations?.runbook).toBe(`docs/operations.md#${anchorOf(rule.alert!)}`);
      expect({ alert: rule.alert, documented: headings.has(anchorOf(rule.alert!)) }).toEqual({ alert: rule.alert, documented: true });
    }
  });
});

describe('deploy/monitoring/grafana-dashboard.json', () => {
  const dashboard = JSON.parse(read('deploy/monitoring/grafana-dashboard.json')) as {
    title?: string;
    uid?: string;
    schemaVersion?: number;
    __inputs?: { name: string; type: string; pluginId: string }[];
    panels: Panel[];
    templating?: { list: { name: string; query?: string | { query?: string }; datasource?: { uid?: string } }[] };
  };
  const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  const graphs = panels.filter((panel) => panel.type !== 'row');

  it('has what Grafana needs to import it, with the data source chosen at import', () => {
    expect(dashboard.title).toEqual(expect.any(String));
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    const ids = panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of graphs) {
      expect({ title: panel.title, gridPos: panel.gridPos }).toEqual({ title: expect.any(String), gridPos: expect.any(Object) });
      expect(panel.datasource?.uid).toBe('${DS_PROMETHEUS}');
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe('${DS_PROMETHEUS}');
    }
    for (const variable of dashboard.templating?.list ?? []) expect(variable.datasource?.uid).toBe('${DS_PROMETHEUS}');
  });

  it('shows requests, latency and errors by operation, queues, jobs, the outbox, deliveries, the evaluation and the pools', () => {
    const shown = new Set(
      graphs.flatMap((panel) => (panel.targets ?? []).flatMap((target) => readPromQL(withoutGrafanaVariables(target.expr!)).metrics)),
    );
    const expected: MetricName[] = [
      'waste_graphql_errors_total',
      'waste_queue_jobs',
      'waste_jobs_completed_total',
      'waste_jobs_failed_total',
      'waste_outbox_oldest_pending_age_seconds',
      'waste_webhook_deliveries_total',
      'waste_webhook_retry_backlog',
      'waste_credit_exports_total',
      'waste_credit_export_backlog',
      'waste_evaluation_month_communities_graded',
      'waste_evaluation_month_communities',
      'waste_db_pool_clients',
      'waste_db_pool_waiting_requests',
    ];
    expect(expected.filter((name) => !shown.has(name))).toEqual([]);
    for (const histogram of ['waste_graphql_operation_duration_seconds', 'waste_job_duration_seconds']) {
      expect(shown).toContain(`${histogram}_bucket`);
    }
    expect(shown).toContain('waste_graphql_operation_duration_seconds_count');
  });

  it('has queries that parse and name only series the platform exports', async () => {
    const exported = await exportedNames();
    for (const panel of graphs) {
      for (const target of panel.targets ?? []) {
        const { errors, metrics } = readPromQL(withoutGrafanaVariables(target.expr!));
        expect({ panel: panel.title, errors }).toEqual({ panel: panel.title, errors: [] });
        expect({ panel: panel.title, unknown: metrics.filter((name) => !exported.has(name)) }).toEqual({ panel: panel.title, unknown: [] });
      }
    }
    for (const variable of dashboard.templating?.list ?? []) {
      const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
      const metric = /label_values\(([a-z_:][a-z0-9_:]*)\s*,/i.exec(query)?.[1];
      expect(exported).toContain(metric);
    }
  });
});
