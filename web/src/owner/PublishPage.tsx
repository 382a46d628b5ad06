import { useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import { ApiError, messageOf } from '../api/problem';
import { localInputValue, validateCoupon, type CouponDraft, type DraftErrors } from '../app/couponForm';
import { Link, navigate, usePageTitle, useLocation } from '../app/router';
import { useAsync } from '../app/useAsync';
import { ErrorMessage, Loading, SelectField, TextAreaField, TextField } from '../components/ui';

function initialDraft(storeId: string): CouponDraft {
  const now = new Date();
  const inAMonth = new Date(now.getTime() + 30 * 24 * 3600 * 1000);
  return {
    storeId,
    name: '',
    description: '',
    discountType: 'FIXED',
    discountValue: '',
    minOrderAmount: '',
    maxDiscountAmount: '',
    totalQuantity: '100',
    perUserLimit: '1',
    perUserDailyLimit: '',
    issueStartsAt: localInputValue(now),
    issueEndsAt: localInputValue(inAMonth),
    validUntil: '',
    validDaysAfterIssue: '30',
  };
}

/** Publish a coupon: checked as the API checks it before sending; the API's field errors appear alike. */
export function PublishPage() {
  usePageTitle('Publish a coupon');
  const { search } = useLocation();
  const stores = useAsync(() => api.myStores(), []);
  const [draft, setDraft] = useState<CouponDraft>(() => initialDraft(search.get('storeId') ?? ''));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const storeId = draft.storeId || (stores.data?.content.length === 1 ? String(stores.data.content[0].id) : '');
  const set = (key: keyof CouponDraft) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { input, errors: found } = validateCoupon({ ...draft, storeId }, new Date());
    setErrors(found);
    setError(null);
    if (!input) {
      setError('Please correct the highlighted fields.');
      return;
    }
    setBusy(true);
    try {
      const coupon = await api.publishCoupon(input);
      navigate(`/coupons/${coupon.id}`);
    } catch (err) {
      setError(messageOf(err));
      if (err instanceof ApiError) {
        setErrors(Object.fromEntries(err.errors.map((f) => [f.field, f.message])) as DraftErrors);
      }
      setBusy(false);
    }
  };

  if (stores.loading && !stores.data) {
    return <Loading />;
  }
  if (stores.data && stores.data.content.length === 0) {
    return (
      <>
        <h1 tabIndex={-1}>Publish a coupon</h1>
        <p className="empty">
          Create a store first: <Link href="/owner/stores">My stores</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1 tabIndex={-1}>Publish a coupon</h1>
      <p className="muted">Followers of the store get an alert as soon as it is published.</p>
      <form className="form form-wide" onSubmit={submit} noValidate>
        <ErrorMessage error={error ?? stores.error} />
        <SelectField label="Store" value={storeId} onChange={set('storeId')} error={errors.storeId}>
          <option value="">Choose a store</option>
          {stores.data?.content.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <TextField label="Coupon name" required value={draft.name} onChange={set('name')} error={errors.name} hint="Up to 100 characters" />
        <TextAreaField label="Description (optional)" rows={3} value={draft.description} onChange={set('description')} error={errors.description} />
        <fieldset>
          <legend>Discount</legend>
          <div className="row">
            <SelectField label="Type" value={draft.discountType} onChange={set('discountType')} error={errors.discountType}>
              <option value="FIXED">Fixed amount (won)</option>
              <option value="PERCENT">Percent</option>
            </SelectField>
            <TextField
              label={draft.discountType === 'PERCENT' ? 'Discount (%)' : 'Discount (won)'}
              inputMode="numeric"
              required
              value={draft.discountValue}
              onChange={set('discountValue')}
              error={errors.discountValue}
            />
          </div>
          <div className="row">
            <TextField label="Minimum order (won, optional)" inputMode="numeric" value={draft.minOrderAmount} onChange={set('minOrderAmount')} error={errors.minOrderAmount} />
            <TextField
              label="Maximum discount (won, percent only)"
              inputMode="numeric"
              value={draft.maxDiscountAmount}
              onChange={set('maxDiscountAmount')}
              error={errors.maxDiscountAmount}
              disabled={draft.discountType !== 'PERCENT'}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>Stock</legend>
          <div className="row">
            <TextField label="Total coupons" inputMode="numeric" required value={draft.totalQuantity} onChange={set('totalQuantity')} error={errors.totalQuantity} hint="1 to 10,000,000" />
            <TextField label="Per shopper" inputMode="numeric" value={draft.perUserLimit} onChange={set('perUserLimit')} error={errors.perUserLimit} hint="1 to 100" />
            <TextField
              label="Per shopper per day (optional)"
              inputMode="numeric"
              value={draft.perUserDailyLimit}
              onChange={set('perUserDailyLimit')}
              error={errors.perUserDailyLimit}
              hint="up to the per-shopper limit; days end at midnight, Korea time"
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>When shoppers can claim it</legend>
          <div className="row">
            <TextField label="From" type="datetime-local" required value={draft.issueStartsAt} onChange={set('issueStartsAt')} error={errors.issueStartsAt} />
            <TextField label="Until" type="datetime-local" required value={draft.issueEndsAt} onChange={set('issueEndsAt')} error={errors.issueEndsAt} />
          </div>
        </fieldset>
        <fieldset>
          <legend>How long a claimed coupon stays usable (one or both; the earlier wins)</legend>
          <div className="row">
            <TextField label="Days after claiming" inputMode="numeric" value={draft.validDaysAfterIssue} onChange={set('validDaysAfterIssue')} error={errors.validDaysAfterIssue} />
            <TextField label="Valid until" type="datetime-local" value={draft.validUntil} onChange={set('validUntil')} error={errors.validUntil} />
          </div>
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? 'Publishing…' : 'Publish coupon'}
        </button>
      </form>
    </>
  );
}
