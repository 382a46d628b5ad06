import { useState, type KeyboardEvent } from 'react';
import { api } from '../api/endpoints';
import { messageOf } from '../api/problem';
import type { IssuedStatus } from '../api/types';
import { useAlerts } from '../app/alerts';
import { useAuth } from '../app/auth';
import { discountLabel, formatDateTime, formatWon, groupedCode, issuedLabel } from '../app/format';
import { Link, navigate, usePageTitle, useLocation } from '../app/router';
import { useAsync } from '../app/useAsync';
import { ErrorMessage, Loading } from '../components/ui';

const TABS: { status: IssuedStatus; label: string }[] = [
  { status: 'ISSUED', label: 'Ready to use' },
  { status: 'REDEEMED', label: 'Used' },
  { status: 'EXPIRED', label: 'Expired' },
];

/** The shopper's coupons by status; a ready one shows its code large enough to scan or read at a counter. */
export function MyCouponsPage() {
  usePageTitle('My coupons');
  const { search } = useLocation();
  const status = (search.get('status') ?? 'ISSUED') as IssuedStatus;
  const { data, error, loading } = useAsync(() => api.myCoupons(status), [status]);
  const { user } = useAuth();
  const select = (next: IssuedStatus) => navigate(`/my/coupons?status=${next}`, { replace: true });
  // arrow keys move between the tabs (WAI-ARIA tabs pattern), Home and End to the first and last
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = TABS.findIndex((t) => t.status === status);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[e.key];
    if (next === undefined) {
      return;
    }
    e.preventDefault();
    const tab = TABS[(next + TABS.length) % TABS.length];
    select(tab.status);
    document.getElementById(`tab-${tab.status}`)?.focus();
  };

  return (
    <>
      <h1 tabIndex={-1}>My coupons</h1>
      {user && (
        <p className="muted">
          Your shopper number is <strong>#{user.id}</strong>: a store can give you coupons with it.
        </p>
      )}
      <div className="tabs" role="tablist" aria-label="Status" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.status}
            id={`tab-${t.status}`}
            type="button"
            role="tab"
            aria-selected={status === t.status}
            aria-controls="issued-panel"
            tabIndex={status === t.status ? 0 : -1}
            className={status === t.status ? 'tab tab-selected' : 'tab'}
            onClick={() => select(t.status)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="issued-panel" aria-labelledby={`tab-${status}`}>
        <ErrorMessage error={error} />
        {loading && !data && <Loading />}
        {data && data.content.length === 0 && (
          <p className="empty">
            Nothing here. <Link href="/">Browse coupons</Link>
          </p>
        )}
        <ul className="issued-list">
          {data?.content.map((c) => (
            <li key={c.id} className={`card issued issued-${c.status.toLowerCase()}`}>
              <span className="store-name">{c.coupon.storeName}</span>
              <h2 className="card-title">
                <Link href={`/coupons/${c.couponId}`}>{c.coupon.name}</Link>
              </h2>
              <p className="discount">{discountLabel({ ...c.coupon, maxDiscountAmount: c.coupon.maxDiscountAmount })}</p>
              {c.status === 'ISSUED' ? (
                <p className="code code-large" aria-label={`Coupon code ${c.code.split('').join(' ')}`} data-testid="issued-code">
                  {groupedCode(c.code)}
                </p>
              ) : (
                <p className="code code-small">{groupedCode(c.code)}</p>
              )}
              <p className="muted">{issuedLabel(c)}</p>
              {c.status === 'REDEEMED' && c.discountAmount !== null && (
                <p className="muted">
                  Saved {formatWon(c.discountAmount)} on order {c.orderId}
                </p>
              )}
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}

export function InboxPage() {
  usePageTitle('Inbox');
  const { search } = useLocation();
  const unreadOnly = search.get('unread') === '1';
  const page = Number(search.get('page') ?? '0') || 0;
  const alerts = useAlerts();
  const { data, error, loading, reload } = useAsync(() => api.notifications(unreadOnly, page), [unreadOnly, page, alerts.recent[0]?.id]);
  const [actionError, setActionError] = useState<string | null>(null);

  const act = async (action: () => Promise<void>) => {
    setActionError(null);
    try {
      await action();
      reload();
    } catch (e) {
      setActionError(messageOf(e));
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Inbox</h1>
      <div className="toolbar">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => navigate(e.target.checked ? '/inbox?unread=1' : '/inbox', { replace: true })}
          />
          Unread only
        </label>
        <button type="button" className="button-secondary" onClick={() => act(alerts.markAllRead)} disabled={alerts.unread === 0}>
          Mark all read
        </button>
      </div>
      <ErrorMessage error={error ?? actionError} />
      {loading && !data && <Loading />}
      {data && data.content.length === 0 && <p className="empty">No alerts.</p>}
      <ul className="list">
        {data?.content.map((n) => (
          <li key={n.id} className={`list-row${n.readAt ? '' : ' unread'}`}>
            <div>
              <strong>{n.title}</strong>
              <p>{n.body}</p>
              <small className="muted">{formatDateTime(n.createdAt)}</small>
              {typeof n.data?.couponId === 'number' && (
                <p>
                  <Link href={`/coupons/${n.data.couponId}`}>View coupon</Link>
                </p>
              )}
            </div>
            {!n.readAt && (
              <button type="button" className="button-secondary" onClick={() => act(() => alerts.markRead(n.id))}>
                Mark read <span className="visually-hidden">{n.title}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      {data && data.totalPages > 1 && (
        <nav className="pager" aria-label="Pages">
          <button type="button" className="button-secondary" disabled={page === 0} onClick={() => navigate(`/inbox?page=${page - 1}${unreadOnly ? '&unread=1' : ''}`)}>
            Newer
          </button>
          <button
            type="button"
            className="button-secondary"
            disabled={page + 1 >= data.totalPages}
            onClick={() => navigate(`/inbox?page=${page + 1}${unreadOnly ? '&unread=1' : ''}`)}
          >
            Older
          </button>
        </nav>
      )}
      <p className="muted">Alerts arrive live while this app is open; each one is also sent to you by email.</p>
    </>
  );
}
