import { useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import { CATEGORIES, type Category, type CouponStatus } from '../api/types';
import { useAuth } from '../app/auth';
import { CATEGORY_LABELS, STATUS_LABELS } from '../app/format';
import { Link, navigate, usePageTitle, useLocation } from '../app/router';
import { useAsync } from '../app/useAsync';
import { CouponCard, ErrorMessage, Loading, Pager, SelectField, TextField } from '../components/ui';

function Recommendations() {
  const { data, error, loading } = useAsync(() => api.recommendations(5), []);
  if (loading) {
    return <Loading label="Finding coupons for you…" />;
  }
  if (error || !data || data.items.length === 0) {
    return null;
  }
  return (
    <section className="recommendations" aria-labelledby="rec-heading">
      <h2 id="rec-heading">Recommended for you</h2>
      <ul className="rec-list">
        {data.items.map((item) => (
          <li key={item.couponId} className="card">
            <Link href={`/coupons/${item.couponId}`}>{item.name}</Link>
            <span className="store-name">{item.storeName}</span>
            <p className="muted">{item.reason}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Coupons to browse (filters on GET /coupons) or, with a search term, full-text search results. */
export function BrowsePage() {
  usePageTitle('Coupons');
  const { user } = useAuth();
  const { search } = useLocation();
  const q = search.get('q') ?? '';
  const mode = search.get('mode') === 'search' ? 'search' : 'filter';
  const category = (search.get('category') ?? '') as Category | '';
  // available coupons first; "ALL" lifts the status filter
  const statusParam = search.get('status') ?? 'ACTIVE';
  const status = (statusParam === 'ALL' ? '' : statusParam) as CouponStatus | '';
  const sort = search.get('sort') ?? 'newest';
  const page = Number(search.get('page') ?? '0') || 0;
  const [text, setText] = useState(q);

  const { data, error, loading } = useAsync(
    (signal) =>
      mode === 'search' && q
        ? api.searchCoupons(q, page, signal)
        : api.coupons({ q: q || undefined, category, status, sort, page, size: 20 }, signal),
    [q, mode, category, status, sort, page],
  );

  const go = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in changes)) next.delete('page');
    const s = next.toString();
    navigate(s ? `/?${s}` : '/');
  };

  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    go({ q: text.trim() || undefined, mode: text.trim() ? 'search' : undefined });
  };

  return (
    <>
      <h1 tabIndex={-1}>Coupons</h1>
      {user?.role === 'SHOPPER' && <Recommendations />}
      <form className="search-bar" role="search" onSubmit={submitSearch}>
        <TextField
          label="Search coupons and stores"
          type="search"
          placeholder="e.g. 아메리카노, pizza, Jun Coffee"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">Search</button>
      </form>
      {mode === 'search' && q ? (
        <p className="muted">
          Best matches for “{q}”.{' '}
          <button type="button" className="link-button" onClick={() => { setText(''); go({ q: undefined, mode: undefined }); }}>
            Clear search
          </button>
        </p>
      ) : (
        <div className="filters" role="group" aria-label="Filters">
          <SelectField label="Category" value={category} onChange={(e) => go({ category: e.target.value })}>
            <option value="">All categories</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </SelectField>
          <SelectField label="Status" value={statusParam} onChange={(e) => go({ status: e.target.value })}>
            <option value="ALL">Any status</option>
            {(Object.keys(STATUS_LABELS) as CouponStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </SelectField>
          <SelectField label="Sort by" value={sort} onChange={(e) => go({ sort: e.target.value })}>
            <option value="newest">Newest</option>
            <option value="endingSoon">Ending soon</option>
            <option value="popular">Popular</option>
          </SelectField>
        </div>
      )}
      <ErrorMessage error={error} />
      {loading && !data ? (
        <Loading />
      ) : data && data.content.length === 0 ? (
        <p className="empty">No coupons match. Try another category or search term.</p>
      ) : (
        data && (
          <>
            <p className="muted" aria-live="polite">
              {data.totalElements} coupon{data.totalElements === 1 ? '' : 's'}
            </p>
            <ul className="card-grid" aria-label="Coupons" aria-busy={loading}>
              {data.content.map((c) => (
                <CouponCard key={c.id} coupon={c} />
              ))}
            </ul>
            <Pager page={data.page} totalPages={data.totalPages} onPage={(p) => go({ page: p })} />
          </>
        )
      )}
    </>
  );
}
