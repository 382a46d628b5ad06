import type { ReactNode } from 'react';
import type { Role } from './api/types';
import { AlertsProvider } from './app/alerts';
import { AuthProvider, useAuth } from './app/auth';
import { Link, match, useLocation } from './app/router';
import { Layout } from './components/Layout';
import { Loading } from './components/ui';
import { OverviewPage } from './admin/OverviewPage';
import { CounterPage } from './owner/CounterPage';
import { ApiKeysPage } from './owner/ApiKeysPage';
import { IssuedCouponsPage } from './owner/IssuedCouponsPage';
import { OwnerStoresPage } from './owner/OwnerStoresPage';
import { PublishPage } from './owner/PublishPage';
import { StatsPage } from './owner/StatsPage';
import { LoginPage, SignupPage } from './pages/AuthPages';
import { BrowsePage } from './pages/BrowsePage';
import { CouponPage } from './pages/CouponPage';
import { InboxPage, MyCouponsPage } from './pages/ShopperPages';
import { FollowingPage, StorePage, StoresPage } from './pages/StorePages';

/** Pages for signed-in users of some roles; others are sent to log in or told what the page is for. */
function Guard({ roles, children }: { roles?: Role[]; children: ReactNode }) {
  const { user } = useAuth();
  const { path } = useLocation();
  if (user === undefined) {
    return <Loading />;
  }
  if (user === null) {
    return (
      <section className="narrow">
        <h1 tabIndex={-1}>Please log in</h1>
        <p>
          <Link className="button" href={`/login?next=${encodeURIComponent(path)}`}>
            Log in
          </Link>{' '}
          or <Link href="/signup">create an account</Link>.
        </p>
      </section>
    );
  }
  if (roles && !roles.includes(user.role)) {
    return (
      <section className="narrow">
        <h1 tabIndex={-1}>Not available</h1>
        <p>This page is for {roles.map((r) => r.toLowerCase()).join(' and ')} accounts.</p>
      </section>
    );
  }
  return <>{children}</>;
}

function Page() {
  const { path } = useLocation();
  let params: Record<string, string> | null;
  if (path === '/') return <BrowsePage />;
  if (path === '/login') return <LoginPage />;
  if (path === '/signup') return <SignupPage />;
  if ((params = match('/coupons/:id', path))) return <CouponPage key={params.id} id={Number(params.id)} />;
  if (path === '/stores') return <StoresPage />;
  if ((params = match('/stores/:id', path))) return <StorePage key={params.id} id={Number(params.id)} />;
  if (path === '/my/coupons') return <Guard roles={['SHOPPER']}><MyCouponsPage /></Guard>;
  if (path === '/following') return <Guard><FollowingPage /></Guard>;
  if (path === '/inbox') return <Guard><InboxPage /></Guard>;
  if (path === '/owner/stores') return <Guard roles={['OWNER']}><OwnerStoresPage /></Guard>;
  if (path === '/owner/publish') return <Guard roles={['OWNER']}><PublishPage /></Guard>;
  if (path === '/owner/counter') return <Guard roles={['OWNER']}><CounterPage /></Guard>;
  if ((params = match('/owner/coupons/:id/issued', path)))
    return <Guard roles={['OWNER']}><IssuedCouponsPage key={params.id} id={Number(params.id)} /></Guard>;
  if ((params = match('/owner/stores/:id/api-keys', path)))
    return <Guard roles={['OWNER']}><ApiKeysPage key={params.id} storeId={Number(params.id)} /></Guard>;
  if (path === '/admin/overview') return <Guard roles={['ADMIN']}><OverviewPage /></Guard>;
  if (path === '/owner/stats') return <Guard roles={['OWNER']}><StatsPage /></Guard>;
  return (
    <section className="narrow">
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        <Link href="/">Browse coupons</Link>
      </p>
    </section>
  );
}

export function App() {
  return (
    <AuthProvider>
      <AlertsProvider>
        <Layout>
          <Page />
        </Layout>
      </AlertsProvider>
    </AuthProvider>
  );
}
