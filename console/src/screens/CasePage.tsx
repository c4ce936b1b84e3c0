import { useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Descriptions, Tag, Timeline } from 'antd';
import { describeError } from '../errors';
import { CASE, type CaseDetail } from '../queries';
import { navigate } from '../router';

const at = (instant: string) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short', hour12: false }).format(
    new Date(instant),
  );

/** The appeal window in words: it opens with the penalty decision and lasts the article's days (the API dates it). */
function appealWindow(data: CaseDetail): string {
  if (!data.penaltyDecidedOn || !data.appealDeadline) return `尚未处罚；处罚决定后 ${data.article.appealWindowDays} 日内可申诉`;
  const outcome = data.appealOutcomeLabelZh ? `，${data.appealOutcomeLabelZh}` : data.appealedAt ? '，已申诉' : '';
  return `${data.penaltyDecidedOn} 至 ${data.appealDeadline}（${data.article.appealWindowDays} 日）${outcome}`;
}

/** One case: whom it is against, under which article, where it is in its procedure, its appeal window and history. */
export default function CasePage({ id }: { id: string }) {
  const found = useQuery(CASE, { variables: { id } });
  const data = found.data?.case;
  return (
    <>
      {found.error && <Alert type="error" showIcon title={describeError(found.error)} />}
      {data && (
        <Card title={`案件 · ${data.article.titleZh}`}>
          <Descriptions column={2} size="small">
            <Descriptions.Item label="状态">
              <Tag color="blue" data-testid="case-state">
                {data.stateLabelZh}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label="立案">{at(data.openedAt)}</Descriptions.Item>
            <Descriptions.Item label="对象">
              {data.targetKindLabelZh} {data.householdId ?? data.institution?.name ?? ''}
            </Descriptions.Item>
            <Descriptions.Item label="地点">{data.orgUnit.name}</Descriptions.Item>
            <Descriptions.Item label="条款">
              {data.article.code}（罚款 {data.article.minFine}–{data.article.maxFine} 元）
            </Descriptions.Item>
            <Descriptions.Item label="整改期限">{data.complyBy ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="罚款">{data.fineAmount ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="申诉期">
              <span data-testid="case-appeal-window">{appealWindow(data)}</span>
            </Descriptions.Item>
            <Descriptions.Item label="查实情况" span={2}>
              {data.evidence.description}
            </Descriptions.Item>
          </Descriptions>
          {data.citizenReportId && (
            <Button style={{ margin: '16px 0' }} onClick={() => navigate(`/reports/${data.citizenReportId}`)} data-testid="case-report">
              来源举报
            </Button>
          )}
          <Timeline
            items={data.history.map((step) => ({
              content: `${at(step.at)} ${step.toStateLabelZh}${step.note ? `：${step.note}` : ''}`,
            }))}
          />
        </Card>
      )}
    </>
  );
}
