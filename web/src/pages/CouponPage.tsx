import { useEffect, useRef, useState } from 'react';
import { api } from '../api/endpoints';
import { ApiError, messageOf } from '../api/problem';
import type { Coupon, IssuedCoupon } from '../api/types';
import { useAuth } from '../app/auth';
import { conditionsLabel, discountLabel, formatCount, formatDateTime, groupedCode, randomId } from '../app/format';
import { Link, usePageTitle } from '../app/router';
import { useAsync } from '../app/useAsync';
import { ErrorMessage, Loading, StatusBadge } from '../components/ui';
import { FollowButton } from './StorePages';

/** The live stock stream's event (GET /api/v1/coupons/{id}/stock/stream). */
interface StockEvent {
  couponId: number;
  remainingQuantity: number;
  status: Coupon['status'];
}

/** After this the stream sends nothing more and ends: the browser must not reconnect. */
const FINAL_STATUSES = new Set(['SOLD_OUT', 'ENDED']);

const CLAIM_OUTCOMES: Record<string, string> = {
  SOLD_OUT: 'Sold out: every coupon has been claimed.',
  CLAIM_LIMIT_REACHED: 'You already claimed this coupon as many times as allowed.',
  DAILY_LIMIT_REACHED: 'You already claimed this coupon as many times as allowed today. Try again tomorrow.',
  CLAIM_WINDOW_CLOSED: 'This coupon cannot be claimed right now: its claim window is closed.',
  COUPON_NOT_FOUND: 'This coupon no longer exists.',
};

function claimMessage(error: unknown): string {
  if (error instanceof ApiError && CLAIM_OUTCOMES[error.code]) {
    return `${CLAIM_OUTCOMES[error.code]} (${error.detail})`;
  }
  return messageOf(error);
}

/**
 * The coupon, with its stock kept live by the server's stock stream (an EventSource: the browser reconnects by
 * itself after a network failure) instead of reading the coupon again every few seconds.
 */
function useLiveCoupon(id: number) {
  const state = useAsync((signal) => api.coupon(id, signal), [id]);
  const { setData } = state;
  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      return undefined;
    }
    const source = new EventSource(`/api/v1/coupons/${id}/stock/stream`);
    source.addEventListener('stock', (event) => {
      const stock = JSON.parse((event as MessageEvent<string>).data) as StockEvent;
      setData((coupon) =>
        coupon && coupon.id === stock.couponId
          ? {
              ...coupon,
              remainingQuantity: stock.remainingQuantity,
              issuedQuantity: coupon.totalQuantity - stock.remainingQuantity,
              status: stock.status,
            }
          : coupon,
      );
      if (FINAL_STATUSES.has(stock.status)) {
        source.close();
      }
    });
    return () => source.close();
  }, [id, setData]);
  return state;
}

function Claim({ coupon, onClaimed }: { coupon: Coupon; onClaimed: () => void }) {
  const { user } = useAuth();
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<IssuedCoupon | null>(null);
  const [error, setError] = useState<string | null>(null);
  // one key per claim intent: a retried request is answered with the first outcome, never a second coupon
  const key = useRef<string>(randomId());

  if (!user) {
    return (
      <p>
        <Link className="button" href={`/login?next=${encodeURIComponent(`/coupons/${coupon.id}`)}`}>
          Log in to claim
        </Link>
      </p>
    );
  }
  if (user.role !== 'SHOPPER') {
    return null;
  }
  const claim = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.claim(coupon.id, key.current);
      setIssued(result);
      onClaimed();
    } catch (e) {
      setError(claimMessage(e));
      if (e instanceof ApiError && e.status !== 0) {
        onClaimed();
      }
    } finally {
      key.current = randomId();
      setBusy(false);
    }
  };
  return (
    <div className="claim">
      {issued ? (
        <div className="alert alert-success" role="status">
          <p>
            <strong>Claimed!</strong> Show this code at {issued.coupon.storeName}:
          </p>
          <p className="code code-medium" aria-label={`Coupon code ${issued.code.split('').join(' ')}`}>
            {groupedCode(issued.code)}
          </p>
          <p>
            Valid until {formatDateTime(issued.expiresAt)}. <Link href="/my/coupons">See my coupons</Link>
          </p>
        </div>
      ) : (
        <button type="button" className="button-large" onClick={claim} disabled={busy || coupon.status !== 'ACTIVE'}>
          {busy ? 'Claiming…' : coupon.status === 'ACTIVE' ? 'Claim this coupon' : 'Not claimable now'}
        </button>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

function EndCoupon({ coupon, onEnded }: { coupon: Coupon; onEnded: (c: Coupon) => void }) {
  const { user } = useAuth();
  const store = useAsync(() => api.store(coupon.storeId), [coupon.storeId]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (user?.role !== 'OWNER' || store.data?.ownerId !== user.id || coupon.status === 'ENDED') {
    return null;
  }
  const end = async () => {
    if (!window.confirm(`End “${coupon.name}”? No one can claim it afterwards; issued coupons stay usable.`)) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onEnded(await api.endCoupon(coupon.id));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="owner-actions">
      <button type="button" className="button-danger" onClick={end} disabled={busy}>
        End this coupon
      </button>
      <ErrorMessage error={error} />
    </div>
  );
}

export function CouponPage({ id }: { id: number }) {
  const { data: coupon, error, loading, setData, reload } = useLiveCoupon(id);
  const { user } = useAuth();
  usePageTitle(coupon?.name ?? 'Coupon');

  if (loading && !coupon) {
    return <Loading />;
  }
  if (!coupon) {
    return (
      <>
        <h1 tabIndex={-1}>Coupon</h1>
        <ErrorMessage error={error ?? 'This coupon does not exist.'} />
      </>
    );
  }
  const conditions = conditionsLabel(coupon);
  const percentLeft = coupon.totalQuantity > 0 ? (coupon.remainingQuantity / coupon.totalQuantity) * 100 : 0;
  return (
    <article className="coupon-page">
      <p className="breadcrumb">
        <Link href={`/stores/${coupon.storeId}`}>{coupon.storeName}</Link>
      </p>
      <h1 tabIndex={-1}>{coupon.name}</h1>
      <p>
        <StatusBadge status={coupon.status} />
      </p>
      <p className="discount discount-large">{discountLabel(coupon)}</p>
      {conditions && <p>{conditions}</p>}
      {coupon.description && <p className="description">{coupon.description}</p>}
      <div className="stock">
        <p aria-live="polite" data-testid="remaining">
          <strong>{formatCount(coupon.remainingQuantity)}</strong> of {formatCount(coupon.totalQuantity)} left
        </p>
        <div
          className="stock-bar"
          role="progressbar"
          aria-label="Coupons left"
          aria-valuemin={0}
          aria-valuemax={coupon.totalQuantity}
          aria-valuenow={coupon.remainingQuantity}
        >
          <span style={{ width: `${percentLeft}%` }} />
        </div>
      </div>
      <dl className="facts">
        <dt>Claim from</dt>
        <dd>{formatDateTime(coupon.issueStartsAt)}</dd>
        <dt>Claim until</dt>
        <dd>{formatDateTime(coupon.issueEndsAt)}</dd>
        <dt>Use within</dt>
        <dd>
          {[
            coupon.validDaysAfterIssue ? `${coupon.validDaysAfterIssue} days after claiming` : null,
            coupon.validUntil ? `until ${formatDateTime(coupon.validUntil)}` : null,
          ]
            .filter(Boolean)
            .join(', at the latest ')}
        </dd>
        <dt>Per person</dt>
        <dd>
          {coupon.perUserLimit}
          {coupon.perUserDailyLimit !== null && coupon.perUserDailyLimit !== undefined && `, at most ${coupon.perUserDailyLimit} a day`}
        </dd>
      </dl>
      <Claim coupon={coupon} onClaimed={reload} />
      {user && user.role !== 'ADMIN' && <FollowButton storeId={coupon.storeId} storeName={coupon.storeName} />}
      <EndCoupon coupon={coupon} onEnded={setData} />
    </article>
  );
}
