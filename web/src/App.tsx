/**
 * The app: restores the session (`GET /v1/session`), shows the login page without one, and
 * otherwise the layout with one route per page. A page the role may not open shows a refusal.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { currentSession, logout, onUnauthorized, type Session } from './api';
import { SessionContext, useSession, type SessionState } from './auth';
import { Layout } from './components/Layout';
import { ErrorState, Loading } from './components/States';
import { useCommon } from './i18n';
import { NAV } from './nav';
import { Client } from './pages/Client';
import { Data } from './pages/Data';
import { Experiments } from './pages/Experiments';
import { History } from './pages/History';
import { Login } from './pages/Login';
import { Overview } from './pages/Overview';
import { Playground } from './pages/Playground';
import { Segments } from './pages/Segments';
import { Users } from './pages/Users';

const PAGES: Record<string, () => ReactNode> = {
  '/': () => <Overview />,
  '/history': () => <History />,
  '/client': () => <Client />,
  '/playground': () => <Playground />,
  '/segments': () => <Segments />,
  '/data': () => <Data />,
  '/experiments': () => <Experiments />,
  '/users': () => <Users />,
};

function Guarded({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useSession();
  const t = useCommon();
  if (!can(permission))
    return (
      <div className="state state-error" role="alert" data-testid="forbidden">
        {t('forbidden')}
      </div>
    );
  return <>{children}</>;
}

/** Where a user lands: the first page the role may open. */
function Home() {
  const { can } = useSession();
  const first = NAV.find((item) => can(item.permission));
  if (!first || first.path === '/') return <Guarded permission="stats.read">{PAGES['/']()}</Guarded>;
  return <Navigate to={first.path} replace />;
}

function NotFound() {
  const t = useCommon();
  return <div className="state state-empty">{t('notFound')}</div>;
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);

  const restore = useCallback(() => {
    setError(null);
    currentSession().then(setSession, setError);
  }, []);
  useEffect(restore, [restore]);
  useEffect(() => onUnauthorized(() => setSession(null)), []);

  const state = useMemo<SessionState | null>(
    () =>
      session
        ? {
            session,
            can: (permission) => session.permissions.includes(permission),
            signOut: () => {
              logout().then(
                () => setSession(null),
                () => setSession(null),
              );
            },
          }
        : null,
    [session],
  );

  if (error) return <ErrorState error={error} onRetry={restore} />;
  if (session === undefined) return <Loading />;
  if (!state) return <Login onLogin={setSession} />;
  return (
    <SessionContext.Provider value={state}>
      <BrowserRouter>
        <Layout>
          <Routes>
            <Route path="/" element={<Home />} />
            {NAV.filter((item) => item.path !== '/').map((item) => (
              <Route
                key={item.path}
                path={`${item.path}/*`}
                element={<Guarded permission={item.permission}>{PAGES[item.path]()}</Guarded>}
              />
            ))}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Layout>
      </BrowserRouter>
    </SessionContext.Provider>
  );
}
