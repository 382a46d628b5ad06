import { useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import { messageOf } from '../api/problem';
import { CATEGORIES, type Category } from '../api/types';
import { useAuth } from '../app/auth';
import { CATEGORY_LABELS, formatDateTime } from '../app/format';
import { Link, navigate, usePageTitle, useLocation } from '../app/router';
import { useAsync } from '../app/useAsync';
import { CouponCard, ErrorMessage, Loading, Pager, SelectField, TextField } from '../components/ui';

/** Follow / unfollow one store; following brings an alert for each coupon it publishes. */
export function FollowButton({ storeId, storeName }: { storeId: number; storeName: string }) {
  const { user } = useAuth();
  const subscriptions = useAsync(() => (user ? api.subscriptions() : Promise.resolve([])), [user?.id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!user || subscriptions.loading) {
    return null;
  }
  const following = subscriptions.data?.some((s) => s.storeId === storeId) ?? false;
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      if (following) {
        await api.unfollow(storeId);
      } else {
        await api.follow(storeId);
      }
      subscriptions.reload();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="follow">
      <button
        type="button"
        className={following ? 'button-secondary' : ''}
        aria-pressed={following}
        onClick={toggle}
        disabled={busy}
      >
        {following ? `Following ${storeName}` : `Follow ${storeName}`}
      </button>
      <ErrorMessage error={error} />
    </div>
  );
}

export function StoresPage() {
  usePageTitle('Stores');
  const { search } = useLocation();
  const q = search.get('q') ?? '';
  const category = (search.get('category') ?? '') as Category | '';
  const page = Number(search.get('page') ?? '0') || 0;
  const [text, setText] = useState(q);
  const { data, error, loading } = useAsync(() => api.stores({ q: q || undefined, category, page, size: 20 }), [q, category, page]);

  const go = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in changes)) next.delete('page');
    navigate(`/stores${next.toString() ? `?${next}` : ''}`);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ q: text.trim() || undefined });
  };

  return (
    <>
      <h1 tabIndex={-1}>Stores</h1>
      <form className="search-bar" role="search" onSubmit={submit}>
        <TextField label="Store name" type="search" value={text} onChange={(e) => setText(e.target.value)} />
        <SelectField label="Category" value={category} onChange={(e) => go({ category: e.target.value })}>
          <option value="">All categories</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {CATEGORY_LABELS[c]}
            </option>
          ))}
        </SelectField>
        <button type="submit">Find</button>
      </form>
      <ErrorMessage error={error} />
      {loading && !data ? (
        <Loading />
      ) : data && data.content.length === 0 ? (
        <p className="empty">No stores found.</p>
      ) : (
        data && (
          <>
            <ul className="card-grid" aria-label="Stores">
              {data.content.map((s) => (
                <li key={s.id} className="card">
                  <span className="store-name">{CATEGORY_LABELS[s.category]}</span>
                  <h2 className="card-title">
                    <Link href={`/stores/${s.id}`}>{s.name}</Link>
                  </h2>
                  <p className="muted">{s.address}</p>
                  <FollowButton storeId={s.id} storeName={s.name} />
                </li>
              ))}
            </ul>
            <Pager page={data.page} totalPages={data.totalPages} onPage={(p) => go({ page: p })} />
          </>
        )
      )}
    </>
  );
}

export function StorePage({ id }: { id: number }) {
  const store = useAsync(() => api.store(id), [id]);
  const coupons = useAsync(() => api.coupons({ storeId: id, size: 50 }), [id]);
  usePageTitle(store.data?.name ?? 'Store');
  if (store.loading && !store.data) {
    return <Loading />;
  }
  if (!store.data) {
    return (
      <>
        <h1 tabIndex={-1}>Store</h1>
        <ErrorMessage error={store.error} />
      </>
    );
  }
  const s = store.data;
  return (
    <>
      <p className="breadcrumb">{CATEGORY_LABELS[s.category]}</p>
      <h1 tabIndex={-1}>{s.name}</h1>
      <p>{s.address}</p>
      {s.description && <p className="description">{s.description}</p>}
      <FollowButton storeId={s.id} storeName={s.name} />
      <h2>Coupons</h2>
      <ErrorMessage error={coupons.error} />
      {coupons.data && coupons.data.content.length === 0 && <p className="empty">No coupons yet.</p>}
      <ul className="card-grid" aria-label={`Coupons of ${s.name}`}>
        {coupons.data?.content.map((c) => (
          <CouponCard key={c.id} coupon={c} />
        ))}
      </ul>
    </>
  );
}

export function FollowingPage() {
  usePageTitle('Following');
  const { data, error, loading, reload } = useAsync(() => api.subscriptions(), []);
  const [actionError, setActionError] = useState<string | null>(null);
  const unfollow = async (storeId: number) => {
    setActionError(null);
    try {
      await api.unfollow(storeId);
      reload();
    } catch (e) {
      setActionError(messageOf(e));
    }
  };
  return (
    <>
      <h1 tabIndex={-1}>Stores you follow</h1>
      <p className="muted">You get an alert (here and by email) whenever one of them publishes a coupon.</p>
      <ErrorMessage error={error ?? actionError} />
      {loading && !data && <Loading />}
      {data && data.length === 0 && (
        <p className="empty">
          You follow no store yet. <Link href="/stores">Find stores</Link>
        </p>
      )}
      <ul className="list">
        {data?.map((s) => (
          <li key={s.storeId} className="list-row">
            <div>
              <Link href={`/stores/${s.storeId}`}>{s.storeName}</Link>
              <small className="muted"> since {formatDateTime(s.createdAt)}</small>
            </div>
            <button type="button" className="button-secondary" onClick={() => unfollow(s.storeId)}>
              Unfollow <span className="visually-hidden">{s.storeName}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
