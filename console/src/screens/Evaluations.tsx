import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Col, Progress, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { describeError } from '../errors';
import { addMonths, percent, shanghaiMonth } from '../months';
import { EVALUATION_RUN, RUN_EVALUATION, SORTING_STATS, VIEWER, type SortingStatsRow, type Unit } from '../queries';
import { DistrictMonth } from './DistrictMonth';
import { EvaluationRuns } from './EvaluationRuns';

const STATUS_ZH = { QUEUED: '排队中', RUNNING: '评价中', COMPLETED: '已完成', FAILED: '失败' } as const;
/** How often a run in progress is asked after: a district's run takes seconds to minutes. */
const POLL_MS = 1000;
/**
 * Roles that may read districtMonth (the API refuses others OUT_OF_SCOPE): decided by role, so a street admin's
 * screen asks nothing it would be refused, and a refusal that still comes is shown with the API's reason.
 */
const READS_DISTRICT_MONTH = ['DISTRICT_ADMIN', 'OPERATOR'];

/**
 * 一月一评: the month's pipeline. For district-wide staff, the district's month across services (stage, blockers, each
 * service's part); for everyone, the month's runs of the territory with live progress, a month's grading of the territory (households graded, without evidence, each grade, pass rate and coverage,
 * per unit below), and an on-demand run for the month (after inspections were corrected), followed until it ends.
 */
export default function Evaluations({ root }: { root: Unit }) {
  const current = shanghaiMonth();
  const [month, setMonth] = useState(addMonths(current, -1));
  const [runId, setRunId] = useState<string>();
  // Bumped when a run starts or ends, so the runs list and the district's month are asked again.
  const [runsKey, setRunsKey] = useState(0);
  // The shell has already read the viewer: this answer comes from the cache.
  const viewer = useQuery(VIEWER);
  const district = viewer.data?.viewer.roles.some((role) => READS_DISTRICT_MONTH.includes(role)) ?? false;
  const stats = useQuery(SORTING_STATS, { variables: { orgUnitId: root.id, month } });
  const [start, started] = useMutation(RUN_EVALUATION);
  const run = useQuery(EVALUATION_RUN, { variables: { id: runId ?? '' }, skip: !runId, pollInterval: POLL_MS });
  const status = run.data?.evaluationRun.status;
  const finished = status === 'COMPLETED' || status === 'FAILED';

  useEffect(() => {
    if (!finished) return;
    run.stopPolling();
    if (status === 'COMPLETED') void stats.refetch();
    setRunsKey((key) => key + 1);
    // Only the run's end matters here, not every poll's answer (run and stats change with each).
  }, [finished, status]);

  const summary = stats.data?.sortingStats;
  const months = Array.from({ length: 12 }, (_, index) => addMonths(current, -index));
  return (
    <>
      <Typography.Title level={3}>一月一评 · {root.name}</Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Select value={month} onChange={setMonth} options={months.map((value) => ({ value, label: value }))} style={{ width: 140 }} />
        <Button
          type="primary"
          data-testid="run-evaluation"
          loading={started.loading || (!!runId && !finished)}
          onClick={() =>
            void start({ variables: { orgUnitId: root.id, month } }).then(({ data }) => {
              setRunId(data?.runMonthlyEvaluation.id);
              setRunsKey((key) => key + 1);
            })
          }
        >
          立即评价
        </Button>
      </Space>
      {(started.error ?? stats.error ?? run.error) && (
        <Alert type="error" showIcon title={describeError(started.error ?? stats.error ?? run.error)} />
      )}
      {run.data && (
        <Card style={{ marginBottom: 16 }} data-testid="evaluation-run">
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text data-testid="evaluation-run-status">
              {run.data.evaluationRun.month} 评价{STATUS_ZH[run.data.evaluationRun.status]}：已评{' '}
              {run.data.evaluationRun.householdsEvaluated} 户，变更 {run.data.evaluationRun.gradesChanged} 户
            </Typography.Text>
            <Progress
              percent={Math.round(run.data.evaluationRun.progress * 100)}
              status={status === 'FAILED' ? 'exception' : finished ? 'success' : 'active'}
            />
            {run.data.evaluationRun.error && <Alert type="error" title={run.data.evaluationRun.error} />}
          </Space>
        </Card>
      )}
      {district && <DistrictMonth key={`${month}:${runsKey}`} month={month} />}
      <EvaluationRuns orgUnitId={root.id} month={month} refreshKey={runsKey} />
      {summary && (
        <>
          <Row gutter={[16, 16]}>
            {[
              ['在册户数', summary.households],
              ['已评价', summary.evaluated],
              ['无检查记录', summary.noEvidence],
              ['合格', summary.qualified],
              ['基本合格', summary.basicallyQualified],
              ['不合格', summary.unqualified],
              ['达标率', percent(summary.passRate)],
              ['覆盖率', percent(summary.coverage)],
            ].map(([title, value]) => (
              <Col xs={12} md={6} key={title}>
                <Card>
                  <Statistic title={title} value={value} />
                </Card>
              </Col>
            ))}
          </Row>
          <Table<SortingStatsRow>
            style={{ marginTop: 16 }}
            rowKey={(row) => row.orgUnit.id}
            dataSource={summary.children}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: '单位', render: (_, row) => `${row.orgUnit.labelZh} · ${row.orgUnit.name}` },
              { title: '户数', dataIndex: 'households' },
              { title: '已评价', dataIndex: 'evaluated' },
              { title: '合格', dataIndex: 'qualified' },
              { title: '基本合格', dataIndex: 'basicallyQualified' },
              { title: '不合格', dataIndex: 'unqualified' },
              { title: '达标率', render: (_, row) => percent(row.passRate) },
            ]}
          />
        </>
      )}
    </>
  );
}
