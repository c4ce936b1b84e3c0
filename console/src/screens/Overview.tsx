import { useQuery } from '@apollo/client/react';
import { Alert, Breadcrumb, Card, Col, Progress, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { describeError } from '../errors';
import { addMonths, percent, shanghaiMonth } from '../months';
import { METRICS, type MetricsRow, type Unit } from '../queries';

// ECharts is the heaviest part of the console: it loads with the chart, after the figures are on screen.
const TrendChart = lazy(() => import('./TrendChart'));

/**
 * 总览: the headline figures of a unit (the official's territory, or a unit below it they drill into) for the last
 * complete month against the district's targets, their trend over 12 months, and the same figures for each unit below.
 */
export default function Overview({ root }: { root: Unit }) {
  const [trail, setTrail] = useState<Unit[]>([root]);
  const unit = trail[trail.length - 1];
  const month = addMonths(shanghaiMonth(), -1);
  const { data, error, loading } = useQuery(METRICS, { variables: { orgUnitId: unit.id, month, from: addMonths(month, -11) } });
  const metrics = data?.districtMetrics;
  const figures = metrics?.figures ?? [];

  return (
    <>
      <Breadcrumb
        items={trail.map((item, index) => ({
          title: <a onClick={() => setTrail(trail.slice(0, index + 1))}>{`${item.labelZh} · ${item.name}`}</a>,
        }))}
      />
      <Typography.Title level={3} data-testid="overview-title">
        {unit.name} · {month} 总览
      </Typography.Title>
      {error && <Alert type="error" showIcon title={describeError(error)} />}
      {loading && !data && <Skeleton active />}
      {metrics && (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title="在册户数" value={metrics.households} />
              </Card>
            </Col>
            {figures.map((figure) => (
              <Col xs={12} md={6} key={figure.key}>
                <Card>
                  <Statistic title={figure.labelZh} value={percent(figure.value)} />
                  <Progress
                    percent={Math.round((figure.value ?? 0) * 1000) / 10}
                    success={figure.target === null ? undefined : { percent: Math.round(figure.target * 1000) / 10 }}
                    status={figure.target !== null && (figure.value ?? 0) < figure.target ? 'exception' : 'normal'}
                    showInfo={false}
                    size="small"
                  />
                  <Typography.Text type="secondary">目标 {percent(figure.target)}</Typography.Text>
                </Card>
              </Col>
            ))}
          </Row>
          <Card title="近 12 个月趋势" style={{ marginTop: 16 }}>
            <Suspense fallback={<Skeleton active />}>
              <TrendChart months={data.districtMetricsRange} />
            </Suspense>
          </Card>
          <Card title="下级单位" style={{ marginTop: 16 }}>
            <Table<MetricsRow>
              data-testid="units"
              rowKey={(row) => row.orgUnit.id}
              dataSource={metrics.children}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              columns={[
                {
                  title: '单位',
                  render: (_, row) =>
                    row.orgUnit.kind === 'COMPOUND' ? (
                      row.orgUnit.name
                    ) : (
                      <a onClick={() => setTrail([...trail, row.orgUnit])}>{row.orgUnit.name}</a>
                    ),
                },
                { title: '类型', render: (_, row) => row.orgUnit.labelZh },
                { title: '户数', dataIndex: 'households' },
                ...figures.map((figure, index) => ({
                  title: figure.labelZh,
                  render: (_: unknown, row: MetricsRow) => percent(row.figures.at(index)?.value),
                })),
              ]}
              scroll={{ x: true }}
            />
          </Card>
        </>
      )}
    </>
  );
}
