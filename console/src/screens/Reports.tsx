import { useQuery } from '@apollo/client/react';
import { Alert, Button, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { describeError } from '../errors';
import { REPORTS, type ReportRow, type Unit } from '../queries';
import { navigate } from '../router';

/** A page of the queue: enough for a screen, the next one after the last row's cursor. */
const PAGE = 20;
const STATUSES = [
  ['SUBMITTED', '已提交（待分拣）'],
  ['TRIAGED', '已分拣'],
  ['ASSIGNED', '已派单'],
  ['IN_PROGRESS', '处置中'],
  ['RESOLVED', '已办结'],
  ['REJECTED', '不予受理'],
  ['DUPLICATE', '重复举报'],
] as const;
const at = (instant: string) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short', hour12: false }).format(
    new Date(instant),
  );

/** 随手拍: the territory's citizen reports waiting for triage (or in another status), newest first, page by page. */
export default function Reports({ root }: { root: Unit }) {
  const [status, setStatus] = useState<string | undefined>('SUBMITTED');
  const reports = useQuery(REPORTS, { variables: { orgUnitId: root.id, status, first: PAGE } });
  const page = reports.data?.reports;
  const more = () =>
    void reports.fetchMore({
      variables: { after: page!.pageInfo.endCursor! },
      // The next page follows the rows already shown.
      updateQuery: (previous, { fetchMoreResult }) => ({
        reports: { ...fetchMoreResult.reports, edges: [...previous.reports.edges, ...fetchMoreResult.reports.edges] },
      }),
    });
  return (
    <>
      <Typography.Title level={3}>随手拍 · {root.name}</Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder="全部状态"
          style={{ width: 200 }}
          value={status}
          onChange={setStatus}
          options={STATUSES.map(([value, label]) => ({ value, label }))}
        />
        {page && <Typography.Text type="secondary">共 {page.totalCount} 件</Typography.Text>}
      </Space>
      {reports.error && <Alert type="error" showIcon title={describeError(reports.error)} />}
      <Table<ReportRow>
        data-testid="reports"
        rowKey="id"
        loading={reports.loading}
        dataSource={page?.edges.map((edge) => edge.node) ?? []}
        pagination={false}
        onRow={(report) => ({ onClick: () => navigate(`/reports/${report.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: '提交时间', render: (_, report) => at(report.submittedAt) },
          { title: '类别', dataIndex: 'categoryLabelZh' },
          { title: '小区', render: (_, report) => report.compound?.name ?? '—' },
          { title: '描述', dataIndex: 'description', ellipsis: true },
          { title: '渠道', dataIndex: 'channelLabelZh' },
          {
            title: '状态',
            render: (_, report) => (
              <Space>
                <Tag>{report.statusLabelZh}</Tag>
                {report.overdue && <Tag color="red">逾期</Tag>}
                {report.verified && <Tag color="green">已核实</Tag>}
              </Space>
            ),
          },
        ]}
      />
      {page?.pageInfo.hasNextPage && (
        <Button style={{ marginTop: 16 }} onClick={more} loading={reports.loading}>
          加载更多
        </Button>
      )}
    </>
  );
}
