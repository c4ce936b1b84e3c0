import { useApolloClient, useQuery } from '@apollo/client/react';
import { Alert, Button, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { describeError } from '../errors';
import { EVALUATION_RUNS, type EvaluationRunRow, type EvaluationRunsVariables } from '../queries';

export const RUN_STATUS_ZH = { QUEUED: '排队中', RUNNING: '评价中', COMPLETED: '已完成', FAILED: '失败' } as const;
const TRIGGER_ZH = { SCHEDULE: '定时', MANUAL: '手动' } as const;
const STATUS_COLOR = { QUEUED: 'default', RUNNING: 'processing', COMPLETED: 'success', FAILED: 'error' } as const;
/** How often the list is asked again while one of its runs is queued or running. */
const POLL_MS = 1000;
const PAGE = 20;

const time = (value: string | null) =>
  value ? new Date(value).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';

/**
 * The month's evaluation runs of the territory, newest first, a page at a time with the API's cursors (加载更多). The
 * first page is asked again every second while a run on it is in progress, so its households graded move live.
 * `refreshKey` changes when the screen started a run, so the list shows it at once.
 */
export function EvaluationRuns({ orgUnitId, month, refreshKey }: { orgUnitId: string; month: string; refreshKey: number }) {
  const client = useApolloClient();
  const [trigger, setTrigger] = useState<EvaluationRunsVariables['trigger']>();
  const [status, setStatus] = useState<EvaluationRunsVariables['status']>();
  const variables = { orgUnitId, month, trigger, status, first: PAGE };
  const first = useQuery(EVALUATION_RUNS, { variables, notifyOnNetworkStatusChange: false });
  // Pages after the first, fetched with the last cursor; started again whenever the filter changes.
  const [more, setMore] = useState<{ runs: EvaluationRunRow[]; endCursor: string | null; hasNextPage: boolean }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  useEffect(() => setMore(undefined), [orgUnitId, month, trigger, status]);
  useEffect(() => {
    if (refreshKey) void first.refetch();
    // Only a new run started by the screen asks again; refetch itself changes with every answer.
  }, [refreshKey]);

  const connection = first.data?.evaluationRuns;
  const firstRuns = connection?.edges.map((edge) => edge.node) ?? [];
  const inProgress = firstRuns.some((run) => run.status === 'QUEUED' || run.status === 'RUNNING');
  useEffect(() => {
    if (inProgress) first.startPolling(POLL_MS);
    else first.stopPolling();
  }, [inProgress]);

  // A run started since the first page was read pushes the others down a place: a run may come twice, shown once.
  const seen = new Set(firstRuns.map((run) => run.id));
  const runs = [...firstRuns, ...(more?.runs.filter((run) => !seen.has(run.id)) ?? [])];
  const hasNextPage = more ? more.hasNextPage : (connection?.pageInfo.hasNextPage ?? false);
  const endCursor = more ? more.endCursor : (connection?.pageInfo.endCursor ?? null);

  const loadMore = async () => {
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const { data } = await client.query({
        query: EVALUATION_RUNS,
        variables: { ...variables, after: endCursor ?? undefined },
        fetchPolicy: 'network-only',
      });
      const page = data!.evaluationRuns;
      setMore({
        runs: [...(more?.runs ?? []), ...page.edges.map((edge) => edge.node)],
        endCursor: page.pageInfo.endCursor,
        hasNextPage: page.pageInfo.hasNextPage,
      });
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div data-testid="evaluation-runs" style={{ marginBottom: 16 }}>
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Text strong>评价批次</Typography.Text>
        <Typography.Text type="secondary" data-testid="evaluation-runs-total">
          共 {connection?.totalCount ?? '—'} 次
        </Typography.Text>
        <Select
          allowClear
          placeholder="触发方式"
          value={trigger}
          onChange={setTrigger}
          options={Object.entries(TRIGGER_ZH).map(([value, label]) => ({ value, label }))}
          style={{ width: 120 }}
        />
        <Select
          allowClear
          placeholder="状态"
          value={status}
          onChange={setStatus}
          options={Object.entries(RUN_STATUS_ZH).map(([value, label]) => ({ value, label }))}
          style={{ width: 120 }}
        />
      </Space>
      {!!(first.error ?? moreError) && <Alert type="error" showIcon title={describeError(first.error ?? moreError)} />}
      <Table<EvaluationRunRow>
        rowKey="id"
        size="small"
        loading={first.loading && !first.data}
        dataSource={runs}
        pagination={false}
        columns={[
          { title: '开始', render: (_, run) => time(run.createdAt) },
          { title: '单位', render: (_, run) => `${run.orgUnit.labelZh} · ${run.orgUnit.name}` },
          { title: '触发', render: (_, run) => TRIGGER_ZH[run.trigger] },
          { title: '状态', render: (_, run) => <Tag color={STATUS_COLOR[run.status]}>{RUN_STATUS_ZH[run.status]}</Tag> },
          {
            title: '进度（已评 / 总户数）',
            render: (_, run) => (
              <Space>
                <Progress
                  percent={Math.round(run.progress * 100)}
                  size="small"
                  style={{ width: 120 }}
                  status={run.status === 'FAILED' ? 'exception' : run.status === 'COMPLETED' ? 'success' : 'active'}
                />
                <span data-testid="run-households">
                  {run.householdsEvaluated} / {run.householdsTotal ?? '—'}
                </span>
              </Space>
            ),
          },
          { title: '变更', dataIndex: 'gradesChanged' },
          { title: '结束', render: (_, run) => time(run.finishedAt) },
          { title: '失败原因', render: (_, run) => run.error ?? '' },
        ]}
      />
      {hasNextPage && (
        <Button style={{ marginTop: 8 }} loading={loadingMore} onClick={() => void loadMore()} data-testid="evaluation-runs-more">
          加载更多
        </Button>
      )}
    </div>
  );
}
