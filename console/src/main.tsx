import { ApolloProvider } from '@apollo/client/react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './apollo';
import { App } from './App';

// The gateway puts a fresh nonce into this meta tag for every page it serves and allows styles with that nonce only
// (see gateway/src/console-route.ts): Ant Design writes its CSS-in-JS <style> elements with it.
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} csp={nonce && nonce !== '__CSP_NONCE__' ? { nonce } : undefined}>
      <AntApp>
        <ApolloProvider client={createClient()}>
          <App />
        </ApolloProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
