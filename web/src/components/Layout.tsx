import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useAlerts } from '../app/alerts';
import { useAuth } from '../app/auth';
import { formatDateTime } from '../app/format';
import { Link, navigate, useLocation } from '../app/router';

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const { path } = useLocation();
  const current = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function AlertBell() {
  const { unread, recent, stream, latest, markRead, markAllRead } = useAlerts();
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) {
      return;
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (!panel.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  const label = unread > 0 ? `Alerts, ${unread} unread` : 'Alerts, none unread';
  const openAlert = (id: number, couponId: unknown) => {
    setOpen(false);
    void markRead(id).catch(() => undefined);
    if (typeof couponId === 'number') {
      navigate(`/coupons/${couponId}`);
    }
  };
  return (
    <div className="bell">
      <button
        ref={button}
        type="button"
        className={`bell-button${unread > 0 ? ' bell-lit' : ''}`}
        aria-label={label}
        aria-expanded={open}
        aria-controls="alert-panel"
        data-unread={unread}
        data-stream={stream}
        onClick={() => setOpen((o) => !o)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unread > 0 && <span className="bell-count">{unread > 99 ? '99+' : unread}</span>}
      </button>
      <div className="visually-hidden" aria-live="polite">
        {latest ? `New alert: ${latest.title}` : ''}
      </div>
      {open && (
        <div id="alert-panel" ref={panel} className="bell-panel" role="region" aria-label="Latest alerts">
          <div className="bell-panel-head">
            <strong>Alerts</strong>
            <span className={`stream-state stream-${stream}`}>{stream === 'open' ? 'live' : stream === 'stopped' ? 'off' : stream === 'replaced' ? 'live in another window' : 'reconnecting…'}</span>
          </div>
          {recent.length === 0 ? (
            <p className="muted">No alerts yet. Follow a store to hear about its new coupons.</p>
          ) : (
            <ul className="bell-list">
              {recent.slice(0, 8).map((n) => (
                <li key={n.id} className={n.readAt ? '' : 'unread'}>
                  <button type="button" className="link-button" onClick={() => openAlert(n.id, n.data?.couponId)}>
                    <strong>{n.title}</strong>
                    <span>{n.body}</span>
                    <small>{formatDateTime(n.createdAt)}</small>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="bell-panel-foot">
            <button type="button" className="button-secondary" onClick={() => void markAllRead().catch(() => undefined)} disabled={unread === 0}>
              Mark all read
            </button>
            <Link href="/inbox" onClick={() => setOpen(false)}>
              Open inbox
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { user, logout } = useAuth();
  const [menuOpen, setMenuOpen] = useState(false);
  const { path } = useLocation();
  useEffect(() => setMenuOpen(false), [path]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-row">
          <Link href="/" className="brand">
            Couponhub <span lang="ko">쿠폰허브</span>
          </Link>
          <div className="header-actions">
            {user && <AlertBell />}
            <button
              type="button"
              className="menu-button"
              aria-expanded={menuOpen}
              aria-controls="site-nav"
              onClick={() => setMenuOpen((o) => !o)}
            >
              Menu
            </button>
          </div>
        </div>
        <nav id="site-nav" className={`site-nav${menuOpen ? ' open' : ''}`} aria-label="Main">
          <NavLink href="/">Coupons</NavLink>
          <NavLink href="/stores">Stores</NavLink>
          {user?.role === 'SHOPPER' && (
            <>
              <NavLink href="/my/coupons">My coupons</NavLink>
              <NavLink href="/following">Following</NavLink>
            </>
          )}
          {user?.role === 'OWNER' && (
            <>
              <NavLink href="/owner/stores">My stores</NavLink>
              <NavLink href="/owner/publish">Publish</NavLink>
              <NavLink href="/owner/counter">Counter</NavLink>
              <NavLink href="/owner/stats">Statistics</NavLink>
            </>
          )}
          {user?.role === 'ADMIN' && <NavLink href="/admin/overview">Overview</NavLink>}
          {user && <NavLink href="/inbox">Inbox</NavLink>}
          <span className="nav-spacer" />
          {user ? (
            <>
              <span className="whoami">
                {user.name} <small>({user.role.toLowerCase()})</small>
              </span>
              <button
                type="button"
                className="button-secondary"
                onClick={() => {
                  void logout().then(() => navigate('/'));
                }}
              >
                Log out
              </button>
            </>
          ) : (
            user === null && (
              <>
                <NavLink href="/login">Log in</NavLink>
                <NavLink href="/signup">Sign up</NavLink>
              </>
            )
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>
          Couponhub · <a href="/swagger-ui.html">API documentation</a>
        </p>
      </footer>
    </>
  );
}
