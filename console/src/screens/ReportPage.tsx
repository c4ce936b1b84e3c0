import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Descriptions, Form, Input, Select, Space, Tag, Timeline, Typography } from 'antd';
import { describeError } from '../errors';
import { CASE_FORM, OPEN_CASE, REPORT, TRIAGE_REPORT, VERIFY_REPORT, type ReportDetail } from '../queries';
import { navigate } from '../router';

const at = (instant: string) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short', hour12: false }).format(
    new Date(instant),
  );
/** A report that can no longer be verified (the API refuses REJECTED and DUPLICATE ones). */
const CLOSED = ['REJECTED', 'DUPLICATE'];

/**
 * One citizen report: what was reported and its history; 分拣 (SUBMITTED → TRIAGED), 核实 (the problem is real), and
 * 立案, which opens a case against a household of its compound with the report as evidence and opens that case.
 */
export default function ReportPage({ id }: { id: string }) {
  const report = useQuery(REPORT, { variables: { id } });
  const [triage, triaged] = useMutation(TRIAGE_REPORT);
  const [verify, verified] = useMutation(VERIFY_REPORT);
  const data = report.data?.report;
  const error = report.error ?? triaged.error ?? verified.error;
  return (
    <>
      <Button onClick={() => navigate('/reports')} style={{ marginBottom: 16 }}>
        返回列表
      </Button>
      {error && <Alert type="error" showIcon title={describeError(error)} data-testid="report-error" style={{ marginBottom: 16 }} />}
      {data && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Card title={`${data.categoryLabelZh} · ${data.compound?.name ?? ''}`}>
            <Descriptions column={2} size="small">
              <Descriptions.Item label="状态">
                <Space>
                  <Tag data-testid="report-status">{data.statusLabelZh}</Tag>
                  {data.verified && <Tag color="green">已核实</Tag>}
                  {data.overdue && <Tag color="red">逾期</Tag>}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label="渠道">{data.channelLabelZh}</Descriptions.Item>
              <Descriptions.Item label="提交">{at(data.submittedAt)}</Descriptions.Item>
              <Descriptions.Item label="办理时限">{at(data.dueAt)}</Descriptions.Item>
              <Descriptions.Item label="描述" span={2}>
                {data.description}
              </Descriptions.Item>
            </Descriptions>
            <Space style={{ marginTop: 16 }}>
              {data.status === 'SUBMITTED' && (
                <Button type="primary" loading={triaged.loading} onClick={() => void triage({ variables: { id } }).catch(() => undefined)}>
                  分拣
                </Button>
              )}
              {!data.verified && !CLOSED.includes(data.status) && (
                <Button loading={verified.loading} onClick={() => void verify({ variables: { id } }).catch(() => undefined)}>
                  核实
                </Button>
              )}
              {data.evidenceCase && (
                <Button onClick={() => navigate(`/cases/${data.evidenceCase!.id}`)}>查看案件（{data.evidenceCase.stateLabelZh}）</Button>
              )}
            </Space>
          </Card>
          {data.verified && !data.evidenceKind && data.compound && <OpenCase report={data} compoundId={data.compound.id} />}
          <Card title="办理记录" size="small">
            <Timeline
              items={data.history.map((step) => ({
                content: `${at(step.at)} ${step.actionLabelZh}${step.note ? `：${step.note}` : ''}${step.publicNote ? `（公开：${step.publicNote}）` : ''}`,
              }))}
            />
          </Card>
        </Space>
      )}
    </>
  );
}

/** 立案: a case against a household of the report's compound, under an article for households, the report its evidence. */
function OpenCase({ report, compoundId }: { report: ReportDetail; compoundId: string }) {
  const choices = useQuery(CASE_FORM, { variables: { compoundId } });
  const [open, opened] = useMutation(OPEN_CASE);
  const [form] = Form.useForm<{ householdId: string; articleCode: string; evidenceDescription: string }>();
  // One key per report: a retried click opens the case once.
  const idempotencyKey = `console-report-${report.id}`;
  const submit = async (values: { householdId: string; articleCode: string; evidenceDescription: string }) => {
    const { data } = await open({
      variables: { input: { targetKind: 'HOUSEHOLD', orgUnitId: compoundId, citizenReportId: report.id, ...values }, idempotencyKey },
    }).catch(() => ({ data: undefined }));
    if (data) navigate(`/cases/${data.openCase.id}`);
  };
  const articles = choices.data?.regulationArticles.filter((article) => article.targetKinds.includes('HOUSEHOLD')) ?? [];
  return (
    <Card title="立案" size="small" data-testid="open-case">
      {(choices.error ?? opened.error) && (
        <Alert type="error" showIcon title={describeError(choices.error ?? opened.error)} style={{ marginBottom: 16 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ evidenceDescription: report.description }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="householdId" label="当事户" rules={[{ required: true }]}>
          <Select
            data-testid="case-household"
            showSearch={{ optionFilterProp: 'label' }}
            loading={choices.loading}
            options={choices.data?.households.edges.map(({ node }) => ({ value: node.id, label: node.address }))}
          />
        </Form.Item>
        <Form.Item name="articleCode" label="违反条款" rules={[{ required: true }]}>
          <Select
            data-testid="case-article"
            options={articles.map((article) => ({
              value: article.code,
              label: `${article.code} ${article.titleZh}（申诉期 ${article.appealWindowDays} 日）`,
            }))}
          />
        </Form.Item>
        <Form.Item name="evidenceDescription" label="查实情况（不写居民姓名）" rules={[{ required: true, max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={opened.loading} data-testid="open-case-submit">
          立案
        </Button>
      </Form>
      <Typography.Text type="secondary">立案后举报即作为案件证据，不能再用于其他记录。</Typography.Text>
    </Card>
  );
}
