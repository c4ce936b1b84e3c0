import { useQuery } from '@apollo/client/react';
import { Alert, Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { describeError } from '../errors';
import { HOUSEHOLDS, UNITS, type HouseholdRow, type Unit } from '../queries';
import { navigate } from '../router';

const PAGE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * 户: households of the official's territory (or of one unit directly below it), matched by address or opened by id.
 * The graph lists a unit's households in address order, a page at a time; the address match runs over the pages
 * loaded, and 加载更多 fetches the next. Addresses come masked as the API masks them for the role.
 */
export default function Households({ root }: { root: Unit }) {
  const [unitId, setUnitId] = useState(root.id);
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const below = useQuery(UNITS, { variables: { parentId: root.id, first: 500 }, skip: root.kind === 'COMPOUND' });
  const { data, error, loading, fetchMore } = useQuery(HOUSEHOLDS, { variables: { orgUnitId: unitId, first: PAGE } });
  const rows = useMemo(
    () => (data?.households.edges ?? []).map((edge) => edge.node).filter((row) => !search || row.address.includes(search)),
    [data, search],
  );
  const page = data?.households.pageInfo;

  const submit = (value: string) => {
    const query = value.trim();
    if (UUID.test(query)) navigate(`/households/${query}`);
    else setSearch(query);
  };

  return (
    <>
      <Typography.Title level={3}>户 · 查询</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          style={{ minWidth: 220 }}
          value={unitId}
          onChange={setUnitId}
          options={[
            { value: root.id, label: `${root.name}（全部）` },
            ...(below.data?.orgUnits.edges ?? []).map(({ node }) => ({ value: node.id, label: `${node.labelZh} · ${node.name}` })),
          ]}
        />
        <Input.Search
          data-testid="household-search"
          placeholder="地址（小区、幢、单元）或户编号"
          allowClear
          enterButton="查询"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onSearch={submit}
          style={{ width: 360 }}
        />
      </Space>
      {error && <Alert type="error" showIcon title={describeError(error)} />}
      <Table<HouseholdRow>
        data-testid="household-results"
        rowKey="id"
        loading={loading}
        dataSource={rows}
        locale={{ emptyText: search ? `辖区内没有地址包含“${search}”的户` : '暂无数据' }}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        onRow={(row) => ({ onClick: () => navigate(`/households/${row.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: '地址', dataIndex: 'address' },
          { title: '社区', render: (_, row) => row.compound.parent?.name ?? '—' },
          { title: '小区', render: (_, row) => row.compound.name },
          { title: '居住', render: (_, row) => (row.tenure === 'OWNER' ? '自有' : '租住') },
          { title: '', render: (_, row) => row.floatingPopulation && <Tag>流动人口</Tag> },
        ]}
        footer={() => (
          <Space>
            <span>
              已加载 {data?.households.edges.length ?? 0} / {data?.households.totalCount ?? 0} 户
            </span>
            {page?.hasNextPage && (
              <Button size="small" onClick={() => void fetchMore({ variables: { after: page.endCursor } })}>
                加载更多
              </Button>
            )}
          </Space>
        )}
      />
    </>
  );
}
