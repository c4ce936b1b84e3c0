import { useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Col, Descriptions, List, Row, Steps, Table, Typography } from 'antd';
import { describeError } from '../errors';
import { DISTRICT_MONTH, type DistrictMonthStage, type NoticeWait, type NoticeWaits } from '../queries';

const STAGES: { key: DistrictMonthStage; title: string; description: string }[] = [
  { key: 'NOT_STARTED', title: '未开始', description: '尚无评价批次' },
  { key: 'EVALUATING', title: '评价中', description: '等级未公布' },
  { key: 'OBJECTIONS_OPEN', title: '异议期', description: '已公布，可提出异议' },
  { key: 'FOLLOWING_UP', title: '后续处理', description: '通知与先锋指数' },
  { key: 'DONE', title: '完成', description: '通知已送达，指数已计算' },
];

/** Which service's work each blocker is, in words; the API's sentence follows it. */
const BLOCKER_ZH: Record<string, string> = {
  EVALUATION_RUN_FAILED: '评价批次失败',
  NOTICES_MONTH_NOT_RECEIVED: '通知服务未收到本月评价结果',
  NOTICES_WAIT_FOR_GRADES: '通知等待等级数据',
  NOTICES_WAIT_FOR_EARLIER_MONTH: '通知等待上月先完成',
  NOTICES_WAIT_FOR_INSTITUTION: '通知等待单位（未知单位）',
  NOTICES_WAIT_FOR_ENROLMENT: '通知等待单位接入',
  NOTICE_DELIVERIES_FAILED: '通知推送失败',
  VANGUARD_NOT_SCORED: '先锋指数未计算',
  CREDIT_EXPORTS_FAILED: '信用/积分推送失败',
};
const WAIT_ZH: Record<string, string> = { UNKNOWN_INSTITUTION: '单位未知', NOT_ENROLLED: '单位未接入' };

const time = (value: string | null) =>
  value ? new Date(value).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';
const yes = (value: boolean) => (value ? '是' : '否');

/**
 * The district's month across services (districtMonth): the stage as steps, what holds it up in words, and each
 * service's part. Shown to district-wide staff only; a refusal still shows the API's reason.
 */
export function DistrictMonth({ month }: { month: string }) {
  const { data, error, loading, refetch } = useQuery(DISTRICT_MONTH, { variables: { month }, fetchPolicy: 'cache-and-network' });
  const glance = data?.districtMonth;
  if (error)
    return <Alert type="error" showIcon title={describeError(error)} data-testid="district-month-error" style={{ marginBottom: 16 }} />;
  if (!glance) return loading ? <Card loading style={{ marginBottom: 16 }} /> : null;
  const { evaluation, notices, vanguard, creditExports } = glance;
  const current = STAGES.findIndex((stage) => stage.key === glance.stage);
  return (
    <Card
      title={`${glance.month} 全区进度`}
      extra={
        <Button size="small" onClick={() => void refetch()} data-testid="district-month-refresh">
          刷新
        </Button>
      }
      style={{ marginBottom: 16 }}
      data-testid="district-month"
      data-stage={glance.stage}
    >
      <Steps
        current={current}
        status={glance.blockers.length > 0 && glance.stage !== 'DONE' ? 'error' : glance.stage === 'DONE' ? 'finish' : 'process'}
        items={STAGES.map(({ title, description }) => ({ title, description }))}
        style={{ marginBottom: 16 }}
      />
      {glance.blockers.length === 0 ? (
        <Alert type="success" showIcon title="本月没有受阻事项" style={{ marginBottom: 16 }} />
      ) : (
        <List
          data-testid="district-month-blockers"
          header={<Typography.Text strong>受阻原因</Typography.Text>}
          bordered
          size="small"
          style={{ marginBottom: 16 }}
          dataSource={glance.blockers}
          renderItem={(blocker) => (
            <List.Item data-code={blocker.code}>
              <Typography.Text>
                <Typography.Text strong>{BLOCKER_ZH[blocker.code] ?? blocker.code}</Typography.Text>
                {blocker.count !== null && `（${blocker.count}）`}：{blocker.message}
              </Typography.Text>
            </List.Item>
          )}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Descriptions title="评价（户）" size="small" column={2} bordered>
            <Descriptions.Item label="在册户数">{evaluation.households}</Descriptions.Item>
            <Descriptions.Item label="已定级">{evaluation.graded}</Descriptions.Item>
            <Descriptions.Item label="无检查记录">{evaluation.noEvidence}</Descriptions.Item>
            <Descriptions.Item label="已公布">{yes(evaluation.published)}</Descriptions.Item>
            <Descriptions.Item label="公布时间">{time(evaluation.publishedAt)}</Descriptions.Item>
            <Descriptions.Item label="异议截止">{time(evaluation.objectionWindowClosesAt)}</Descriptions.Item>
            <Descriptions.Item label="异议期中">{yes(evaluation.objectionWindowOpen)}</Descriptions.Item>
            <Descriptions.Item label="待处理异议">{evaluation.openObjections}</Descriptions.Item>
            <Descriptions.Item label="批次">{evaluation.runCount}</Descriptions.Item>
            <Descriptions.Item label="进行中 / 失败">
              {evaluation.runsInProgress} / {evaluation.runsFailed}
            </Descriptions.Item>
          </Descriptions>
        </Col>
        <Col xs={24} lg={12}>
          <Descriptions title="通知" size="small" column={2} bordered>
            <Descriptions.Item label="已收到本月">{yes(notices.monthReceived)}</Descriptions.Item>
            <Descriptions.Item label="已生成">{notices.generated ? `是（${time(notices.generatedAt)}）` : '否'}</Descriptions.Item>
            <Descriptions.Item label="等级到达">
              {notices.gradesArrived} / {notices.gradesExpected ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label="已生成通知">{notices.made}</Descriptions.Item>
            <Descriptions.Item label="待发送">{notices.pending}</Descriptions.Item>
            <Descriptions.Item label="已推送 / 已送达">
              {notices.sent} / {notices.delivered}
            </Descriptions.Item>
            <Descriptions.Item label="推送失败">{notices.failed}</Descriptions.Item>
            <Descriptions.Item label="等待中（单位 / 居民）">
              {notices.institutionsWaiting} / {notices.residentsWaiting}
            </Descriptions.Item>
          </Descriptions>
        </Col>
        <Col xs={24} lg={12}>
          <Descriptions title="先锋指数" size="small" column={2} bordered>
            <Descriptions.Item label="已计算">{yes(vanguard.scored)}</Descriptions.Item>
            <Descriptions.Item label="计算时间">{time(vanguard.computedAt)}</Descriptions.Item>
            <Descriptions.Item label="党员 / 已计分">
              {vanguard.members} / {vanguard.membersScored}
            </Descriptions.Item>
          </Descriptions>
        </Col>
        <Col xs={24} lg={12}>
          <Descriptions title="信用/积分推送" size="small" column={2} bordered>
            <Descriptions.Item label="待发送">{creditExports.due}</Descriptions.Item>
            <Descriptions.Item label="已发送">{creditExports.sent}</Descriptions.Item>
            <Descriptions.Item label="失败">{creditExports.failed}</Descriptions.Item>
            <Descriptions.Item label="已撤销">{creditExports.cancelled}</Descriptions.Item>
          </Descriptions>
        </Col>
      </Row>
      <NoticeWaitsTable title="通知等待的单位：单位未知" waits={notices.unknownInstitutions} testId="waits-unknown" />
      <NoticeWaitsTable title="通知等待的单位：单位未接入" waits={notices.notEnrolled} testId="waits-not-enrolled" />
    </Card>
  );
}

/** The institutions notices wait for, of one reason: a first page, with how many there are in all. */
function NoticeWaitsTable({ title, waits, testId }: { title: string; waits: NoticeWaits; testId: string }) {
  if (waits.totalCount === 0) return null;
  const shown = waits.edges.length < waits.totalCount ? `，显示前 ${waits.edges.length} 个` : '';
  return (
    <div data-testid={testId} style={{ marginTop: 16 }}>
      <Table<NoticeWait>
        title={() => `${title}（共 ${waits.totalCount} 个${shown}）`}
        size="small"
        rowKey="institutionId"
        dataSource={waits.edges.map((edge) => edge.node)}
        pagination={false}
        columns={[
          { title: '单位', render: (_, row) => row.institutionName ?? `未知单位 ${row.institutionId}` },
          { title: '原因', render: (_, row) => WAIT_ZH[row.reason] ?? row.reason },
          { title: '居民', dataIndex: 'residents' },
          { title: '通知', dataIndex: 'notices' },
        ]}
      />
    </div>
  );
}
