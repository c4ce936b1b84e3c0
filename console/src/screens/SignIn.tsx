import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { Alert, Button, Card, Form, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { UNITS, type Unit } from '../queries';
import { CALLBACK_PATH, completeSignIn, loadConfig, startSignIn, type ConsoleConfig } from '../oidc';
import { navigate, usePath } from '../router';
import { devSignIn } from '../session';

/**
 * The sign-in the gateway offers (GET /console/config.json): the district's identity provider, or, in development
 * without one, the demo roles. On the provider's way back (/sign-in/callback) the code is exchanged and checked here.
 */
export function SignIn() {
  const path = usePath();
  const [config, setConfig] = useState<ConsoleConfig>();
  const [error, setError] = useState<string>();
  const returning = path.startsWith(CALLBACK_PATH);

  useEffect(() => {
    let live = true;
    loadConfig()
      .then(async (loaded) => {
        if (!live) return;
        setConfig(loaded);
        if (loaded.signIn === 'oidc' && returning) {
          await completeSignIn(loaded, location.search);
          navigate('/overview');
        }
      })
      .catch((reason: unknown) => live && setError(reason instanceof Error ? reason.message : String(reason)));
    return () => {
      live = false;
    };
    // The callback is handled once, when the page opens on it.
  }, []);

  if (config?.signIn === 'development' && !returning) return <DevSignIn />;
  const provider = config?.signIn === 'oidc' ? config : undefined;
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 96 }}>
      <Card title="垃圾分类 · 管理台" style={{ width: 420 }}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="sign-in-error" />}
        {config?.signIn === 'none' && <Typography.Paragraph>此环境未配置登录方式，请联系系统管理员。</Typography.Paragraph>}
        {provider && (
          <Button
            type="primary"
            block
            loading={returning && !error}
            onClick={() => {
              setError(undefined);
              startSignIn(provider).catch((reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)));
            }}
          >
            统一身份认证登录
          </Button>
        )}
      </Card>
    </div>
  );
}

/** The demo roles an official of the month may act as, with the kind of unit each is scoped to. */
const ROLES = [
  { value: 'DISTRICT_ADMIN', label: '区级管理员', unitKind: null },
  { value: 'STREET_ADMIN', label: '镇街管理员', unitKind: 'STREET' },
  { value: 'COMMUNITY_SECRETARY', label: '社区书记', unitKind: 'COMMUNITY' },
  // District-wide: joint actions, citizen reports and cases anywhere in the district.
  { value: 'BUREAU_OFFICER', label: '执法部门人员', unitKind: null },
] as const;

type RoleValue = (typeof ROLES)[number]['value'];

/**
 * Development sign-in: pick a demo role and the unit it runs. The unit list is read through the graph with a
 * district-wide development token held in memory only for this page (the real sign-in, with the identity provider,
 * has no such step).
 */
export function DevSignIn() {
  const [role, setRole] = useState<RoleValue>('STREET_ADMIN');
  const [unitId, setUnitId] = useState<string>();
  const [units, setUnits] = useState<Unit[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const unitKind = ROLES.find((item) => item.value === role)!.unitKind;

  useEffect(() => {
    setUnitId(undefined);
    setUnits([]);
    if (!unitKind) return;
    let live = true;
    devSignIn({ role: 'DISTRICT_ADMIN', orgUnitId: null }, false)
      .then((token) => {
        const lister = new ApolloClient({
          link: new HttpLink({ uri: '/graphql', headers: { authorization: `Bearer ${token}` } }),
          cache: new InMemoryCache(),
        });
        return lister.query({ query: UNITS, variables: { kind: unitKind, first: 500 } });
      })
      .then(({ data }) => live && setUnits(data?.orgUnits.edges.map((edge) => edge.node) ?? []))
      .catch((reason: unknown) => live && setError(reason instanceof Error ? reason.message : String(reason)));
    return () => {
      live = false;
    };
  }, [unitKind]);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await devSignIn({ role, orgUnitId: unitKind ? (unitId ?? null) : null });
      navigate('/overview');
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 96 }}>
      <Card title="演示登录（仅开发环境）" style={{ width: 420 }}>
        <Typography.Paragraph type="secondary">正式环境通过统一身份认证登录。</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={() => void submit()}>
          <Form.Item label="角色">
            <Select data-testid="role" value={role} onChange={setRole} options={ROLES.map(({ value, label }) => ({ value, label }))} />
          </Form.Item>
          {unitKind && (
            <Form.Item label={unitKind === 'STREET' ? '镇街' : '社区'}>
              <Select
                data-testid="unit"
                showSearch={{ optionFilterProp: 'label' }}
                value={unitId}
                onChange={setUnitId}
                loading={units.length === 0}
                options={units.map((unit) => ({ value: unit.id, label: unit.name }))}
              />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy} disabled={!!unitKind && !unitId}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
