import { Suspense, lazy, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../components/States.js';
import { DirectoryProvider, NamingProvider, SessionProvider } from './context.js';
import { Layout } from './Layout.js';
import { matchRoute, useFocusOnNavigate, useLocation } from './router.js';

const Overview = lazy(() => import('../pages/Overview.js'));
const IncidentPage = lazy(() => import('../pages/Incident.js'));
const Agreements = lazy(() => import('../pages/Agreements.js'));
const Allegations = lazy(() => import('../pages/Allegations.js'));
const AllegationDetail = lazy(() => import('../pages/AllegationDetail.js'));
const FileAllegation = lazy(() => import('../pages/FileAllegation.js'));
const ThreatMatrix = lazy(() => import('../pages/ThreatMatrix.js'));
const LogPage = lazy(() => import('../pages/Log.js'));
const Login = lazy(() => import('../pages/Login.js'));
const About = lazy(() => import('../pages/About.js'));
const MonitorReport = lazy(() => import('../pages/MonitorReport.js'));
const ReviewQueue = lazy(() => import('../pages/ReviewQueue.js'));
const Warning = lazy(() => import('../pages/Warning.js'));
const NotFound = lazy(() => import('../pages/NotFound.js'));

const ROUTES = [
  ['overview', '/'],
  ['incident', '/incidents/:id'],
  ['agreements', '/agreements'],
  ['allegations', '/allegations'],
  ['fileAllegation', '/allegations/new'],
  ['allegation', '/allegations/:id'],
  ['threatMatrix', '/threat-matrix'],
  ['log', '/log'],
  ['login', '/login'],
  ['about', '/about'],
  ['report', '/report'],
  ['review', '/review'],
  ['warning', '/warning'],
] as const;

function Page() {
  const { path } = useLocation();
  const route = matchRoute(path, ROUTES);
  const { t } = useTranslation();
  useFocusOnNavigate(path);
  useEffect(() => {
    document.title = route ? `${t(`title.${route.name}`)} · ${t('app.name')}` : t('app.name');
  }, [route?.name, t]);
  switch (route?.name) {
    case 'overview':
      return <Overview />;
    case 'incident':
      return <IncidentPage id={route.params['id']!} />;
    case 'agreements':
      return <Agreements />;
    case 'allegations':
      return <Allegations />;
    case 'fileAllegation':
      return <FileAllegation />;
    case 'allegation':
      return <AllegationDetail id={route.params['id']!} />;
    case 'threatMatrix':
      return <ThreatMatrix />;
    case 'log':
      return <LogPage />;
    case 'login':
      return <Login />;
    case 'about':
      return <About />;
    case 'report':
      return <MonitorReport />;
    case 'review':
      return <ReviewQueue />;
    case 'warning':
      return <Warning />;
    // Every route has its case, so adding a route without a page fails the lint
    // (switch-exhaustiveness-check); the default only satisfies TypeScript's return analysis.
    case undefined:
    default:
      return <NotFound />;
  }
}

export function App() {
  return (
    <SessionProvider>
      <DirectoryProvider>
        <NamingProvider>
          <Layout>
            <Suspense fallback={<Loading />}>
              <Page />
            </Suspense>
          </Layout>
        </NamingProvider>
      </DirectoryProvider>
    </SessionProvider>
  );
}
