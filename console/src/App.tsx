import { useQuery } from '@apollo/client/react';
import { Alert, Button, Layout, Menu, Space, Spin, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { describeError, needsSignIn } from './errors';
import { VIEWER } from './queries';
import { navigate, usePath } from './router';
import { currentToken, signOut } from './session';
import { SignIn } from './screens/SignIn';

// Each screen is its own chunk, loaded when first opened: the first paint needs only the shell (and the sign-in page).
const Overview = lazy(() => import('./screens/Overview'));
const Households = lazy(() => import('./screens/Households'));
const HouseholdPage = lazy(() => import('./screens/HouseholdPage'));
const Evaluations = lazy(() => import('./screens/Evaluations'));
const JointActions = lazy(() => import('./screens/JointActions'));
const Reports = lazy(() => import('./screens/Reports'));
const ReportPage = lazy(() => import('./screens/ReportPage'));
const CasePage = lazy(() => import('./screens/CasePage'));

const MENU = [
  { key: '/overview', label: '总览' },
  { key: '/households', label: '户' },
  { key: '/evaluations', label: '一月一评' },
  { key: '/joint-actions', label: '联合执法' },
  { key: '/reports', label: '随手拍' },
];

export function App() {
  const path = usePath();
  if (!currentToken() || path.startsWith('/sign-in')) return <SignIn />;
  return <Shell path={path} />;
}

function Shell({ path }: { path: string }) {
  const { data, error, loading } = useQuery(VIEWER);
  const section = MENU.find((item) => path.startsWith(item.key))?.key ?? '/overview';
  const householdId = /^\/households\/([\w-]+)/.exec(path)?.[1];
  const reportId = /^\/reports\/([\w-]+)/.exec(path)?.[1];
  const caseId = /^\/cases\/([\w-]+)/.exec(path)?.[1];
  const root = data?.viewer.territory ?? data?.districts.edges[0]?.node ?? null;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
        <Typography.Text style={{ color: '#fff', fontWeight: 600 }}>垃圾分类 · 管理台</Typography.Text>
        <Menu
          theme="dark"
          mode="horizontal"
          selectedKeys={[section]}
          items={MENU}
          onClick={({ key }) => navigate(key)}
          style={{ flex: 1 }}
        />
        <Space>
          <Typography.Text style={{ color: '#fff' }} data-testid="viewer">
            {data ? `${data.viewer.rolesLabelZh.join('、')} · ${root?.name ?? ''}` : ''}
          </Typography.Text>
          <Button
            size="small"
            onClick={() => {
              signOut();
              navigate('/sign-in');
            }}
          >
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        {error && (
          <Alert
            type="error"
            showIcon
            title={describeError(error)}
            action={
              needsSignIn(error) && (
                <Button
                  size="small"
                  onClick={() => {
                    signOut();
                    navigate('/sign-in');
                  }}
                >
                  重新登录
                </Button>
              )
            }
          />
        )}
        {loading && !data && <Spin />}
        {root && (
          <Suspense fallback={<Spin />}>
            {householdId ? (
              <HouseholdPage id={householdId} />
            ) : reportId ? (
              <ReportPage id={reportId} />
            ) : caseId ? (
              <CasePage id={caseId} />
            ) : section === '/reports' ? (
              <Reports root={root} />
            ) : section === '/households' ? (
              <Households root={root} />
            ) : section === '/evaluations' ? (
              <Evaluations root={root} />
            ) : section === '/joint-actions' ? (
              <JointActions root={root} />
            ) : (
              <Overview root={root} />
            )}
          </Suspense>
        )}
      </Layout.Content>
    </Layout>
  );
}
