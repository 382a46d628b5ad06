import { useRef, useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import { ApiError, messageOf } from '../api/problem';
import type { Redemption, RedemptionPreview } from '../api/types';
import { formatDateTime, formatWon, randomId } from '../app/format';
import { usePageTitle } from '../app/router';
import { useAsync } from '../app/useAsync';
import { ErrorMessage, Loading, SelectField, TextField } from '../components/ui';

const OUTCOMES: Record<string, string> = {
  ISSUED_COUPON_NOT_FOUND: 'No coupon of this store has that code.',
  ALREADY_REDEEMED: 'This coupon was already used for another order.',
  COUPON_EXPIRED: 'This coupon has expired.',
  MIN_ORDER_NOT_MET: 'The order is below the coupon’s minimum amount.',
  NOT_REDEEMER: 'The shopper redeemed this coupon online: only they can cancel it.',
  NOT_REDEEMED: 'This coupon is not redeemed.',
  ORDER_MISMATCH: 'This coupon was redeemed on another order.',
};

/** A redemption made here, with what undoing it needs. */
interface Done {
  redemption: Redemption;
  storeId: number;
  code: string;
  undone: boolean;
}

function newOrderId(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const suffix = randomId().slice(0, 4).toUpperCase();
  return `POS-${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}-${suffix}`;
}

/**
 * Redeem at the counter: the code the shopper shows, the order, and the discount to apply. "Check discount" previews
 * the redemption without making it; a redemption made here can be undone here (the API lets only the store cancel its
 * counter redemptions).
 */
export function CounterPage() {
  usePageTitle('Counter');
  const stores = useAsync(() => api.myStores(), []);
  const [storeId, setStoreId] = useState('');
  const [code, setCode] = useState('');
  const [orderId, setOrderId] = useState(newOrderId);
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [preview, setPreview] = useState<RedemptionPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);

  const chosenStore = storeId || (stores.data?.content[0] ? String(stores.data.content[0].id) : '');

  const showError = (err: unknown) => {
    if (err instanceof ApiError) {
      setError(OUTCOMES[err.code] ? `${OUTCOMES[err.code]} (${err.detail})` : err.detail);
      setErrors(Object.fromEntries(err.errors.map((f) => [f.field, f.message])));
    } else {
      setError(messageOf(err));
    }
  };

  /** Checks the fields; answers the normalized code, or null (the errors shown) when a field is wrong. */
  const checked = (needsOrder: boolean): string | null => {
    const found: Record<string, string> = {};
    const normalized = code.replace(/[\s-]/g, '').toUpperCase();
    if (!chosenStore) found.storeId = 'Choose the store';
    if (!normalized) found.code = 'must not be blank';
    if (needsOrder && (!orderId.trim() || orderId.trim().length > 64)) found.orderId = 'size must be between 1 and 64';
    if (!/^\d+$/.test(amount.trim()) || Number(amount) <= 0) found.orderAmount = 'must be a whole number of won greater than 0';
    setErrors(found);
    setError(null);
    setPreview(null);
    if (Object.keys(found).length > 0) {
      setError('Please correct the highlighted fields.');
      return null;
    }
    return normalized;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const normalized = checked(true);
    setDone(null);
    if (normalized === null) return;
    setBusy(true);
    try {
      const result = await api.redeemAtCounter({
        storeId: Number(chosenStore),
        code: normalized,
        orderId: orderId.trim(),
        orderAmount: Number(amount),
      });
      setDone({ redemption: result, storeId: Number(chosenStore), code: normalized, undone: false });
      setCode('');
      setAmount('');
      setOrderId(newOrderId());
      codeInput.current?.focus();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const check = async () => {
    const normalized = checked(false);
    if (normalized === null) return;
    setBusy(true);
    try {
      setPreview(await api.previewAtCounter({ storeId: Number(chosenStore), code: normalized, orderAmount: Number(amount) }));
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const undo = async () => {
    if (!done) return;
    setBusy(true);
    setError(null);
    try {
      await api.cancelAtCounter({ storeId: done.storeId, code: done.code, orderId: done.redemption.orderId });
      setDone({ ...done, undone: true });
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  if (stores.loading && !stores.data) {
    return <Loading />;
  }
  return (
    <>
      <h1 tabIndex={-1}>Redeem at the counter</h1>
      {done && !done.undone && (
        <div className="alert alert-success" role="status" data-testid="redemption">
          <p>
            <strong>Redeemed.</strong> Order {done.redemption.orderId}: {formatWon(done.redemption.orderAmount)} −{' '}
            {formatWon(done.redemption.discountAmount)} = <strong>{formatWon(done.redemption.finalAmount)}</strong> to pay.
          </p>
          <p className="muted">{formatDateTime(done.redemption.redeemedAt)}</p>
          <button type="button" className="button-secondary button-small" onClick={() => void undo()} disabled={busy}>
            Undo this redemption
          </button>
        </div>
      )}
      {done?.undone && (
        <div className="alert alert-success" role="status" data-testid="redemption-undone">
          <p>
            <strong>Undone.</strong> The redemption of order {done.redemption.orderId} is cancelled: the coupon can be used again.
          </p>
        </div>
      )}
      {preview && (
        <div className={preview.redeemable ? 'alert alert-info' : 'alert alert-warning'} role="status" data-testid="redemption-preview">
          {preview.redeemable ? (
            <p>
              <strong>{formatWon(preview.discountAmount)} off:</strong> {formatWon(preview.finalAmount)} to pay. Nothing is redeemed yet.
            </p>
          ) : (
            <p>
              <strong>Not redeemable.</strong> {preview.reason ? OUTCOMES[preview.reason] : ''}
            </p>
          )}
        </div>
      )}
      <form className="form" onSubmit={submit} noValidate>
        <ErrorMessage error={error ?? stores.error} />
        <SelectField label="Store" value={chosenStore} onChange={(e) => setStoreId(e.target.value)} error={errors.storeId}>
          {stores.data?.content.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <TextField
          ref={codeInput}
          label="Coupon code"
          className="code-input"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={errors.code}
          hint="As the shopper shows it; spaces do not matter"
        />
        <TextField label="Order number" required value={orderId} onChange={(e) => setOrderId(e.target.value)} error={errors.orderId} />
        <TextField label="Order amount (won)" inputMode="numeric" required value={amount} onChange={(e) => setAmount(e.target.value)} error={errors.orderAmount} />
        <div className="form-actions">
          <button type="submit" className="button-large" disabled={busy}>
            {busy ? 'Working…' : 'Redeem'}
          </button>
          <button type="button" className="button-secondary" onClick={() => void check()} disabled={busy}>
            Check discount
          </button>
        </div>
      </form>
    </>
  );
}
