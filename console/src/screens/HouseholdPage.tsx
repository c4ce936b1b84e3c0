import { useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Descriptions, Skeleton, Table, Tag, Typography } from 'antd';
import { describeError } from '../errors';
import { HOUSEHOLD, type Grade } from '../queries';
import { navigate } from '../router';

const GRADE_COLOR: Record<string, string> = { QUALIFIED: 'green', BASICALLY_QUALIFIED: 'gold', UNQUALIFIED: 'red' };

/** One household: where it is (masked as the API masks it for the role) and its monthly grades, newest first. */
export default function HouseholdPage({ id }: { id: string }) {
  const { data, error, loading } = useQuery(HOUSEHOLD, { variables: { id } });
  const household = data?.household;
  return (
    <>
      <Button onClick={() => navigate('/households')} style={{ marginBottom: 16 }}>
        返回查询
      </Button>
      {error && <Alert type="error" showIcon title={describeError(error)} data-testid="household-error" />}
      {loading && !data && <Skeleton active />}
      {household && (
        <>
          <Typography.Title level={3} data-testid="household-address">
            {household.address}
          </Typography.Title>
          <Card>
            <Descriptions column={2}>
              <Descriptions.Item label="社区">{household.compound.parent?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="小区">{household.compound.name}</Descriptions.Item>
              <Descriptions.Item label="幢/单元">{`${household.building}幢${household.unit}单元`}</Descriptions.Item>
              <Descriptions.Item label="室">{household.addressMasked ? '***（按权限隐藏）' : household.room}</Descriptions.Item>
              <Descriptions.Item label="居住">{household.tenure === 'OWNER' ? '自有' : '租住'}</Descriptions.Item>
              <Descriptions.Item label="流动人口">{household.floatingPopulation ? '是' : '否'}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={`评价记录（共 ${data.householdGrades.totalCount} 个月）`} style={{ marginTop: 16 }}>
            <Table<Grade>
              rowKey="month"
              dataSource={data.householdGrades.edges.map((edge) => edge.node)}
              pagination={false}
              columns={[
                { title: '月份', dataIndex: 'month' },
                {
                  title: '等级',
                  render: (_, grade) =>
                    grade.grade ? <Tag color={GRADE_COLOR[grade.grade]}>{grade.gradeLabelZh}</Tag> : <Tag>无检查记录</Tag>,
                },
                { title: '得分', render: (_, grade) => grade.score ?? '—' },
                { title: '检查次数', dataIndex: 'inspectionCount' },
                { title: '问题', render: (_, grade) => grade.issuesLabelZh.join('、') || '—' },
              ]}
            />
          </Card>
        </>
      )}
    </>
  );
}
