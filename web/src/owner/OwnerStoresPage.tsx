import { Fragment, useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import { ApiError, messageOf } from '../api/problem';
import { CATEGORIES, type Category, type Coupon, type Store, type StoreInput } from '../api/types';
import { editDraftOf, validateCouponEdit, type CouponEditDraft, type EditErrors } from '../app/couponForm';
import { CATEGORY_LABELS, formatCount } from '../app/format';
import { Link, usePageTitle } from '../app/router';
import { useAsync } from '../app/useAsync';
import { ErrorMessage, Loading, Notice, SelectField, StatusBadge, TextAreaField, TextField } from '../components/ui';

type StoreErrors = Partial<Record<keyof StoreInput, string>>;

function checkStore(s: StoreInput): StoreErrors {
  const errors: StoreErrors = {};
  const name = s.name.trim();
  if (!name) errors.name = 'must not be blank';
  else if ([...name].length > 100) errors.name = 'length must be between 1 and 100';
  const address = s.address.trim();
  if (!address) errors.address = 'must not be blank';
  else if ([...address].length > 200) errors.address = 'length must be between 1 and 200';
  if ([...(s.description ?? '')].length > 1000) errors.description = 'length must be at most 1000';
  return errors;
}

function StoreForm({ initial, submitLabel, onSubmit, onCancel }: {
  initial: StoreInput;
  submitLabel: string;
  onSubmit: (input: StoreInput) => Promise<void>;
  onCancel?: () => void;
}) {
  const [form, setForm] = useState<StoreInput>(initial);
  const [errors, setErrors] = useState<StoreErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = checkStore(form);
    setErrors(found);
    setError(null);
    if (Object.keys(found).length > 0) {
      setError('Please correct the highlighted fields.');
      return;
    }
    setBusy(true);
    try {
      await onSubmit({ ...form, name: form.name.trim(), address: form.address.trim(), description: form.description?.trim() || null });
    } catch (err) {
      setError(messageOf(err));
      if (err instanceof ApiError) {
        setErrors(Object.fromEntries(err.errors.map((f) => [f.field, f.message])));
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorMessage error={error} />
      <TextField label="Store name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} />
      <SelectField label="Category" value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value as Category })} error={errors.category}>
        {CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {CATEGORY_LABELS[c]}
          </option>
        ))}
      </SelectField>
      <TextField label="Address" required value={form.address} onChange={(e) => setForm({ ...form, address: e.target.value })} error={errors.address} />
      <TextAreaField
        label="Description (optional)"
        rows={3}
        value={form.description ?? ''}
        onChange={(e) => setForm({ ...form, description: e.target.value })}
        error={errors.description}
      />
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button-secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * Changes a published coupon: its name, description, stock and the end of its claim window. Only what changed is
 * sent; the stock may be raised at any time (the new units are claimable at once) and lowered down to what is
 * claimed.
 */
function CouponEditForm({ coupon, onSaved, onCancel }: { coupon: Coupon; onSaved: (c: Coupon) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<CouponEditDraft>(() => editDraftOf(coupon));
  const [errors, setErrors] = useState<EditErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof CouponEditDraft) => (e: { target: { value: string } }) => setDraft({ ...draft, [field]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { input, errors: found } = validateCouponEdit(coupon, draft, new Date());
    setErrors(found);
    setError(null);
    if (!input) {
      setError('Please correct the highlighted fields.');
      return;
    }
    if (Object.keys(input).length === 0) {
      onCancel();
      return;
    }
    setBusy(true);
    try {
      onSaved(await api.editCoupon(coupon.id, input));
    } catch (err) {
      setError(messageOf(err));
      if (err instanceof ApiError) {
        setErrors(Object.fromEntries(err.errors.map((f) => [f.field, f.message])));
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={`Change ${coupon.name}`}>
      <ErrorMessage error={error} />
      <TextField label="Coupon name" required value={draft.name} onChange={set('name')} error={errors.name} />
      <TextAreaField label="Description (optional)" rows={2} value={draft.description} onChange={set('description')} error={errors.description} />
      <TextField
        label="Total quantity"
        inputMode="numeric"
        required
        value={draft.totalQuantity}
        onChange={set('totalQuantity')}
        error={errors.totalQuantity}
        hint={`${formatCount(coupon.issuedQuantity)} claimed so far`}
      />
      <TextField label="Claimable until" type="datetime-local" required value={draft.issueEndsAt} onChange={set('issueEndsAt')} error={errors.issueEndsAt} />
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          Save coupon
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function StoreCoupons({ store }: { store: Store }) {
  const { data, error, reload } = useAsync(() => api.coupons({ storeId: store.id, size: 100 }), [store.id]);
  const [actionError, setActionError] = useState<string | null>(null);
  const [changing, setChanging] = useState<number | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const end = async (id: number, name: string) => {
    if (!window.confirm(`End “${name}”? No one can claim it afterwards; issued coupons stay usable.`)) return;
    setActionError(null);
    try {
      await api.endCoupon(id);
      reload();
    } catch (e) {
      setActionError(messageOf(e));
    }
  };
  return (
    <>
      <ErrorMessage error={error ?? actionError} />
      {saved && <Notice>{saved}</Notice>}
      {data && data.content.length === 0 && <p className="muted">No coupons yet.</p>}
      {data && data.content.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Coupons of {store.name}</caption>
          <thead>
            <tr>
              <th scope="col">Coupon</th>
              <th scope="col">Status</th>
              <th scope="col">Claimed</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.content.map((c) => (
              <Fragment key={c.id}>
              <tr>
                <td>
                  <Link href={`/coupons/${c.id}`}>{c.name}</Link>
                </td>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td>
                  <Link href={`/owner/coupons/${c.id}/issued`} aria-label={`${formatCount(c.issuedQuantity)} / ${formatCount(c.totalQuantity)}: claimed coupons of ${c.name}`}>
                    {formatCount(c.issuedQuantity)} / {formatCount(c.totalQuantity)}
                  </Link>
                </td>
                <td>
                  {c.status !== 'ENDED' && (
                    <>
                      <button type="button" className="button-secondary button-small" onClick={() => { setChanging(c.id); setSaved(null); }}>
                        Change <span className="visually-hidden">{c.name}</span>
                      </button>{' '}
                      <button type="button" className="button-danger button-small" onClick={() => end(c.id, c.name)}>
                        End <span className="visually-hidden">{c.name}</span>
                      </button>
                    </>
                  )}
                </td>
              </tr>
              {changing === c.id && (
                <tr>
                  <td colSpan={4}>
                    <CouponEditForm
                      coupon={c}
                      onCancel={() => setChanging(null)}
                      onSaved={(changed) => {
                        setChanging(null);
                        setSaved(`Saved ${changed.name}: ${formatCount(changed.remainingQuantity)} of ${formatCount(changed.totalQuantity)} left.`);
                        reload();
                      }}
                    />
                  </td>
                </tr>
              )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The owner's stores: create, edit, delete, and the coupons of each with Change and End actions. */
export function OwnerStoresPage() {
  usePageTitle('My stores');
  const { data, error, loading, reload } = useAsync(() => api.myStores(), []);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const remove = async (store: Store) => {
    if (!window.confirm(`Delete “${store.name}”? Its coupons end; coupons already claimed stay usable until they expire.`)) return;
    setActionError(null);
    try {
      await api.deleteStore(store.id);
      setNotice(`Deleted ${store.name}.`);
      reload();
    } catch (e) {
      setActionError(messageOf(e));
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>My stores</h1>
      {notice && <Notice>{notice}</Notice>}
      <ErrorMessage error={error ?? actionError} />
      {creating ? (
        <section className="panel" aria-labelledby="new-store">
          <h2 id="new-store">New store</h2>
          <StoreForm
            initial={{ name: '', category: 'CAFE', address: '', description: '' }}
            submitLabel="Create store"
            onCancel={() => setCreating(false)}
            onSubmit={async (input) => {
              const store = await api.createStore(input);
              setCreating(false);
              setNotice(`Created ${store.name}.`);
              reload();
            }}
          />
        </section>
      ) : (
        <button type="button" onClick={() => { setCreating(true); setNotice(null); }}>
          New store
        </button>
      )}
      {loading && !data && <Loading />}
      {data && data.content.length === 0 && !creating && <p className="empty">You have no store yet. Create one to publish coupons.</p>}
      {data?.content.map((store) => (
        <section key={store.id} className="panel" aria-labelledby={`store-${store.id}`}>
          <h2 id={`store-${store.id}`}>{store.name}</h2>
          {editing === store.id ? (
            <StoreForm
              initial={{ name: store.name, category: store.category, address: store.address, description: store.description ?? '' }}
              submitLabel="Save changes"
              onCancel={() => setEditing(null)}
              onSubmit={async (input) => {
                await api.updateStore(store.id, input);
                setEditing(null);
                setNotice(`Saved ${input.name}.`);
                reload();
              }}
            />
          ) : (
            <>
              <p className="muted">
                {CATEGORY_LABELS[store.category]} · {store.address}
              </p>
              {store.description && <p>{store.description}</p>}
              <div className="form-actions">
                <Link className="button" href={`/owner/publish?storeId=${store.id}`}>
                  Publish a coupon <span className="visually-hidden">for {store.name}</span>
                </Link>
                <button type="button" className="button-secondary" onClick={() => setEditing(store.id)}>
                  Edit <span className="visually-hidden">{store.name}</span>
                </button>
                <Link className="button button-secondary" href={`/owner/stores/${store.id}/api-keys`}>
                  API keys <span className="visually-hidden">of {store.name}</span>
                </Link>
                <button type="button" className="button-danger" onClick={() => remove(store)}>
                  Delete <span className="visually-hidden">{store.name}</span>
                </button>
              </div>
            </>
          )}
          <h3>Coupons</h3>
          <StoreCoupons store={store} />
        </section>
      ))}
    </>
  );
}
