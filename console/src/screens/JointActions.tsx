import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Descriptions, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { describeError } from '../errors';
import { addMonths, percent, shanghaiMonth } from '../months';
import {
  BUREAUS,
  CANCEL_JOINT_ACTION,
  JOINT_ACTIONS,
  RESCHEDULE_JOINT_ACTION,
  ROTATE_BUREAU_CALENDAR,
  SCHEDULE_JOINT_ACTION,
  UNITS,
  type JointActionRow,
  type Unit,
} from '../queries';

const STATUS_COLOR = { SCHEDULED: 'blue', HELD: 'green', REPORTED: 'purple', CANCELLED: 'default' } as const;
/** The lead bureau picked first: the district's law-enforcement bureau, which leads most joint actions. */
const USUAL_LEAD = '综合行政执法局';

// The district's clock is Asia/Shanghai whatever the browser's: a datetime-local value is read as Shanghai time, and
// the API's instants are shown in it.
const toInstant = (local: string) => `${local}:00+08:00`;
const shanghai = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const when = (instant: string) => shanghai.format(new Date(instant));
const toLocalInput = (instant: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' })
    .format(new Date(instant))
    .replace(' ', 'T');
const monthStart = (month: string) => `${month}-01T00:00:00+08:00`;

interface Editing {
  action: JointActionRow;
  kind: 'move' | 'cancel';
}

/**
 * 联合执法: the month's joint actions of the territory, day by day; scheduling one, moving or cancelling a scheduled
 * one (a clash is refused by the API with SCHEDULE_CONFLICT, shown as it says), and a bureau's calendar feed address.
 */
export default function JointActions({ root }: { root: Unit }) {
  const [month, setMonth] = useState(shanghaiMonth());
  const [bureauId, setBureauId] = useState<string>();
  const [editing, setEditing] = useState<Editing>();
  const bureaus = useQuery(BUREAUS);
  const units = useQuery(UNITS, { variables: { parentId: root.id, first: 500 } });
  const actions = useQuery(JOINT_ACTIONS, { variables: { from: monthStart(month), to: monthStart(addMonths(month, 1)) } });
  const [schedule, scheduled] = useMutation(SCHEDULE_JOINT_ACTION);
  const [rotate, rotated] = useMutation(ROTATE_BUREAU_CALENDAR);
  const [form] = Form.useForm<{ title: string; startsAt: string; endsAt: string; targetUnitIds: string[] }>();

  const bureauList = bureaus.data?.institutions.edges.map((edge) => edge.node) ?? [];
  useEffect(() => {
    if (!bureauId && bureauList.length) setBureauId((bureauList.find((b) => b.name.includes(USUAL_LEAD)) ?? bureauList[0]).id);
  }, [bureauList.length]);

  const unitOptions = [root, ...(units.data?.orgUnits.edges.map((edge) => edge.node) ?? [])].map((unit) => ({
    value: unit.id,
    label: `${unit.labelZh} · ${unit.name}`,
  }));
  const rows = [...(actions.data?.jointActions.edges.map((edge) => edge.node) ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  const submit = async (values: { title: string; startsAt: string; endsAt: string; targetUnitIds: string[] }) => {
    const startsAt = toInstant(values.startsAt);
    const { data } = await schedule({
      variables: {
        input: {
          title: values.title,
          startsAt,
          endsAt: toInstant(values.endsAt),
          targetUnitIds: values.targetUnitIds,
          leadBureauId: bureauId!,
        },
      },
    }).catch(() => ({ data: undefined }));
    if (!data) return;
    form.resetFields();
    // Show the month the new action is in, so it can be seen at once.
    const scheduledMonth = shanghaiMonth(new Date(startsAt));
    if (scheduledMonth === month) void actions.refetch();
    else setMonth(scheduledMonth);
  };

  const error = scheduled.error ?? actions.error ?? bureaus.error ?? units.error;
  return (
    <>
      <Typography.Title level={3}>联合执法 · {root.name}</Typography.Title>
      <Card title="排期" size="small" style={{ marginBottom: 16 }}>
        <Form form={form} layout="inline" onFinish={(values) => void submit(values)}>
          <Form.Item label="牵头部门">
            <Select
              data-testid="lead-bureau"
              style={{ width: 240 }}
              value={bureauId}
              onChange={setBureauId}
              options={bureauList.map((b) => ({ value: b.id, label: b.name }))}
            />
          </Form.Item>
          <Form.Item name="title" label="标题" rules={[{ required: true, max: 100 }]}>
            <Input data-testid="action-title" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="startsAt" label="开始" rules={[{ required: true }]}>
            <Input data-testid="action-starts" type="datetime-local" />
          </Form.Item>
          <Form.Item name="endsAt" label="结束" rules={[{ required: true }]}>
            <Input data-testid="action-ends" type="datetime-local" />
          </Form.Item>
          <Form.Item name="targetUnitIds" label="区域" rules={[{ required: true }]}>
            <Select
              data-testid="action-units"
              mode="multiple"
              style={{ minWidth: 240 }}
              showSearch={{ optionFilterProp: 'label' }}
              options={unitOptions}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={scheduled.loading} disabled={!bureauId} data-testid="schedule-action">
            排期
          </Button>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon title={describeError(error)} data-testid="joint-action-error" style={{ marginBottom: 16 }} />}
      <Space style={{ marginBottom: 16 }} wrap>
        <Button onClick={() => setMonth(addMonths(month, -1))}>上月</Button>
        <Input
          type="month"
          value={month}
          onChange={(event) => event.target.value && setMonth(event.target.value)}
          data-testid="action-month"
        />
        <Button onClick={() => setMonth(addMonths(month, 1))}>下月</Button>
        <Button
          data-testid="rotate-calendar"
          disabled={!bureauId}
          loading={rotated.loading}
          onClick={() => void rotate({ variables: { bureauId: bureauId! } }).catch(() => undefined)}
        >
          生成日历订阅链接
        </Button>
      </Space>
      {rotated.error && <Alert type="error" showIcon title={describeError(rotated.error)} style={{ marginBottom: 16 }} />}
      {rotated.data && (
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          title="日历订阅链接（仅显示这一次，旧链接已失效）"
          description={
            <Typography.Text copyable data-testid="calendar-url">
              {rotated.data.rotateBureauCalendarToken.url}
            </Typography.Text>
          }
        />
      )}
      <Table<JointActionRow>
        data-testid="joint-actions"
        rowKey="id"
        loading={actions.loading}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: `${month} 没有联合执法` }}
        expandable={{ expandedRowRender: (action) => <ActionDetails action={action} /> }}
        columns={[
          { title: '时间', render: (_, action) => `${when(action.startsAt)} – ${when(action.endsAt)}` },
          { title: '标题', dataIndex: 'title' },
          { title: '状态', render: (_, action) => <Tag color={STATUS_COLOR[action.status]}>{action.labelZh}</Tag> },
          { title: '牵头部门', render: (_, action) => action.leadBureau.name },
          { title: '区域', render: (_, action) => action.targetUnits.map((unit) => unit.name).join('、') },
          {
            title: '操作',
            render: (_, action) =>
              action.status === 'SCHEDULED' && (
                <Space>
                  <Button size="small" onClick={() => setEditing({ action, kind: 'move' })}>
                    调整时间
                  </Button>
                  <Button size="small" danger onClick={() => setEditing({ action, kind: 'cancel' })}>
                    取消
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      {editing && <EditAction key={`${editing.kind} ${editing.action.id}`} editing={editing} onClose={() => setEditing(undefined)} />}
    </>
  );
}

function ActionDetails({ action }: { action: JointActionRow }) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {action.report && (
        <Descriptions size="small" title="行动报告" column={3}>
          <Descriptions.Item label="发现">{action.report.findingsRecorded}</Descriptions.Item>
          <Descriptions.Item label="立案">{action.report.casesOpened}</Descriptions.Item>
          <Descriptions.Item label="已整改">{action.report.casesRectified}</Descriptions.Item>
          <Descriptions.Item label="涉及户数">{action.report.households}</Descriptions.Item>
          <Descriptions.Item label="行动前达标率">{percent(action.report.passRateBefore)}</Descriptions.Item>
          <Descriptions.Item label="行动后达标率">{percent(action.report.passRateAfter)}</Descriptions.Item>
        </Descriptions>
      )}
      {action.history.map((change) => (
        <Typography.Text key={change.revision} type="secondary">
          {when(change.changedAt)} {change.labelZh}：{when(change.startsAt)} – {when(change.endsAt)}
          {change.reason ? `（${change.reason}）` : ''}
        </Typography.Text>
      ))}
    </Space>
  );
}

/** Moving (a new window) or cancelling a scheduled action, each with the reason its history keeps. */
function EditAction({ editing, onClose }: { editing: Editing; onClose: () => void }) {
  const { action, kind } = editing;
  const [startsAt, setStartsAt] = useState(toLocalInput(action.startsAt));
  const [endsAt, setEndsAt] = useState(toLocalInput(action.endsAt));
  const [reason, setReason] = useState('');
  const [move, moved] = useMutation(RESCHEDULE_JOINT_ACTION, { refetchQueries: ['ConsoleJointActions'] });
  const [cancel, cancelled] = useMutation(CANCEL_JOINT_ACTION, { refetchQueries: ['ConsoleJointActions'] });
  const error = moved.error ?? cancelled.error;
  const confirm = async () => {
    const done =
      kind === 'move'
        ? await move({ variables: { id: action.id, startsAt: toInstant(startsAt), endsAt: toInstant(endsAt), reason } }).catch(() => null)
        : await cancel({ variables: { id: action.id, reason } }).catch(() => null);
    if (done) onClose();
  };
  // A card rather than a modal: the modal's scroll lock writes a <style> element without the page's nonce, which the
  // Content-Security-Policy refuses.
  return (
    <Card
      size="small"
      data-testid="edit-action"
      title={`${kind === 'move' ? '调整时间' : '取消行动'} · ${action.title}`}
      style={{ marginTop: 16 }}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {kind === 'move' && (
          <Space>
            <Input type="datetime-local" value={startsAt} onChange={(event) => setStartsAt(event.target.value)} />
            <Input type="datetime-local" value={endsAt} onChange={(event) => setEndsAt(event.target.value)} />
          </Space>
        )}
        <Input.TextArea
          placeholder="原因（必填，记入行动历史）"
          maxLength={500}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
        {error && <Alert type="error" showIcon title={describeError(error)} />}
        <Space>
          <Button
            type="primary"
            danger={kind === 'cancel'}
            disabled={!reason.trim()}
            loading={moved.loading || cancelled.loading}
            onClick={() => void confirm()}
          >
            {kind === 'move' ? '调整' : '取消行动'}
          </Button>
          <Button onClick={onClose}>返回</Button>
        </Space>
      </Space>
    </Card>
  );
}
