import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { MetricsRow } from '../queries';

// Only the line chart, its grid, legend and tooltip, and the canvas renderer: the whole of ECharts is several times
// the size of the rest of the console.
echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Each headline figure month by month (percent), one line per figure. */
export default function TrendChart({ months }: { months: MetricsRow[] }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = element.current;
    if (!container) return;
    const chart = echarts.init(container, undefined, { renderer: 'canvas' });
    const keys = months[0]?.figures ?? [];
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => (typeof value === 'number' ? `${value}%` : '—') },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 48, right: 24, top: 48, bottom: 32 },
      xAxis: { type: 'category', data: months.map((row) => row.month) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: keys.map((figure, index) => ({
        name: figure.labelZh,
        type: 'line',
        connectNulls: false,
        data: months.map((row) => {
          const value = row.figures.at(index)?.value;
          return value === null || value === undefined ? null : Math.round(value * 1000) / 10;
        }),
      })),
    });
    // Tests and support read how many lines are drawn without reaching into ECharts.
    container.dataset.series = String(keys.length);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [months]);
  return <div ref={element} data-testid="trend-chart" style={{ height: 360, width: '100%' }} />;
}
