import { useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import { messageOf } from '../api/problem';
import type { CreatedApiKey } from '../api/types';
import { formatDateTime } from '../app/format';
import { Link, usePageTitle } from '../app/router';
import { useAsync } from '../app/useAsync';
import { ErrorMessage, Loading, Notice, TextField } from '../components/ui';

/**
 * The API keys of one of the owner's stores, for the store's own servers (a point-of-sale system, a shop's backend):
 * create one (its text is shown once), see when each was last used, delete one (refused everywhere within seconds).
 */
export function ApiKeysPage({ storeId }: { storeId: number }) {
  const store = useAsync(() => api.store(storeId), [storeId]);
  const keys = useAsync(() => api.apiKeys(storeId), [storeId]);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const title = store.data ? `API keys: ${store.data.name}` : 'API keys';
  usePageTitle(title);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 100) {
      setNameError(trimmed ? 'at most 100 characters' : 'Give the key a name, e.g. the till it is for.');
      return;
    }
    setNameError(undefined);
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      setCreated(await api.createApiKey(storeId, trimmed));
      setName('');
      keys.reload();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: number, keyName: string) => {
    if (!window.confirm(`Delete the key “${keyName}”? Servers using it are refused within seconds.`)) return;
    setError(null);
    try {
      await api.deleteApiKey(storeId, id);
      setNotice(`Deleted the key ${keyName}.`);
      if (created?.id === id) setCreated(null);
      keys.reload();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <>
      <p>
        <Link href="/owner/stores">← My stores</Link>
      </p>
      <h1 tabIndex={-1}>{title}</h1>
      <p className="muted">
        Your store's own servers send a key in the <code>X-Api-Key</code> header to list and export the units issued of
        your coupons, give coupons to shoppers, and check, redeem and undo redemptions at the counter. A key acts for
        this store only.
      </p>
      <ErrorMessage error={store.error ?? keys.error ?? error} />
      {notice && <Notice>{notice}</Notice>}
      {created && (
        <div className="alert alert-success" role="status">
          <p>
            New key <strong>{created.name}</strong>. Copy it now: it is not shown again.
          </p>
          <p>
            <code className="api-key" aria-label="The new key">
              {created.key}
            </code>
          </p>
        </div>
      )}
      <form className="card grant-form" aria-label="Create an API key" onSubmit={create} noValidate>
        <TextField label="Key name" hint="For you: which server or till uses it." value={name} error={nameError} maxLength={100} onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {keys.loading && !keys.data && <Loading />}
      {keys.data && keys.data.length === 0 && <p className="empty">No key yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">API keys, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{formatDateTime(key.createdAt)}</td>
                <td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'never'}</td>
                <td>
                  <button type="button" className="button-danger" onClick={() => remove(key.id, key.name)}>
                    Delete <span className="visually-hidden">the key {key.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
