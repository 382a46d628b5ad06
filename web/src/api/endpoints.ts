import { browserLock, localStorageTokenStore, Session } from './session';
import type {
  ApiKey,
  Category,
  CreatedApiKey,
  Coupon,
  CouponEditInput,
  CouponInput,
  CouponStats,
  StatsOverview,
  CouponStatus,
  GrantResult,
  IssuedCoupon,
  IssuedStatus,
  Notification,
  Page,
  Recommendations,
  Redemption,
  RedemptionPreview,
  Role,
  Store,
  StoreInput,
  Subscription,
  User,
} from './types';

export const session = new Session((input, init) => fetch(input, init), localStorageTokenStore(), browserLock());

function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const get = <T>(path: string, auth = true, signal?: AbortSignal) => session.request<T>('GET', path, { auth, signal });
const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
  session.request<T>('POST', path, { body, headers });

export const api = {
  signup: (body: { email: string; password: string; name: string; role: Exclude<Role, 'ADMIN'> }) =>
    session.request<User>('POST', '/api/v1/auth/signup', { auth: false, body }),
  me: () => get<User>('/api/v1/users/me'),

  coupons: (
    params: { q?: string; category?: Category | ''; status?: CouponStatus | ''; sort?: string; storeId?: number; page?: number; size?: number },
    signal?: AbortSignal,
  ) => get<Page<Coupon>>(`/api/v1/coupons${query(params)}`, false, signal),
  searchCoupons: (q: string, page = 0, signal?: AbortSignal) =>
    get<Page<Coupon>>(`/api/v1/coupons/search${query({ q, page, size: 20 })}`, false, signal),
  coupon: (id: number, signal?: AbortSignal) => get<Coupon>(`/api/v1/coupons/${id}`, false, signal),
  claim: (id: number, idempotencyKey: string) =>
    post<IssuedCoupon>(`/api/v1/coupons/${id}/claim`, undefined, { 'Idempotency-Key': idempotencyKey }),
  endCoupon: (id: number) => post<Coupon>(`/api/v1/coupons/${id}/end`),
  publishCoupon: (body: CouponInput) => post<Coupon>('/api/v1/coupons', body),
  issuedOfCoupon: (id: number, status: IssuedStatus | '', page = 0) =>
    get<Page<IssuedCoupon>>(`/api/v1/coupons/${id}/issued-coupons${query({ status, page, size: 50 })}`),
  issuedOfCouponCsv: (id: number) => session.request<Blob>('GET', `/api/v1/coupons/${id}/issued-coupons.csv`, { blob: true }),
  grant: (id: number, userIds: number[], idempotencyKey: string) =>
    post<GrantResult>(`/api/v1/coupons/${id}/grants`, { userIds }, { 'Idempotency-Key': idempotencyKey }),
  editCoupon: (id: number, body: CouponEditInput) => session.request<Coupon>('PATCH', `/api/v1/coupons/${id}`, { body }),

  myCoupons: (status: IssuedStatus | '', page = 0) =>
    get<Page<IssuedCoupon>>(`/api/v1/issued-coupons${query({ status, page, size: 50 })}`),
  redeemAtCounter: (body: { storeId: number; code: string; orderId: string; orderAmount: number }) =>
    post<Redemption>('/api/v1/redemptions', body),
  previewAtCounter: (body: { storeId: number; code: string; orderAmount: number }) =>
    post<RedemptionPreview>('/api/v1/redemptions/preview', body),
  cancelAtCounter: (body: { storeId: number; code: string; orderId: string }) =>
    post<IssuedCoupon>('/api/v1/redemptions/cancel', body),

  stores: (params: { q?: string; category?: Category | ''; page?: number; size?: number }) =>
    get<Page<Store>>(`/api/v1/stores${query(params)}`, false),
  store: (id: number) => get<Store>(`/api/v1/stores/${id}`, false),
  myStores: () => get<Page<Store>>('/api/v1/stores/mine?size=100'),
  createStore: (body: StoreInput) => post<Store>('/api/v1/stores', body),
  updateStore: (id: number, body: StoreInput) => session.request<Store>('PUT', `/api/v1/stores/${id}`, { body }),
  deleteStore: (id: number) => session.request<void>('DELETE', `/api/v1/stores/${id}`),
  apiKeys: (storeId: number) => get<ApiKey[]>(`/api/v1/stores/${storeId}/api-keys`),
  createApiKey: (storeId: number, name: string) => post<CreatedApiKey>(`/api/v1/stores/${storeId}/api-keys`, { name }),
  deleteApiKey: (storeId: number, keyId: number) =>
    session.request<void>('DELETE', `/api/v1/stores/${storeId}/api-keys/${keyId}`),

  subscriptions: () => get<Subscription[]>('/api/v1/subscriptions'),
  follow: (storeId: number) => post<Subscription>('/api/v1/subscriptions', { storeId }),
  unfollow: (storeId: number) => session.request<void>('DELETE', `/api/v1/subscriptions/${storeId}`),

  notifications: (unreadOnly = false, page = 0) =>
    get<Page<Notification>>(`/api/v1/notifications${query({ unreadOnly: unreadOnly || undefined, page, size: 50 })}`),
  markRead: (id: number) => post<void>(`/api/v1/notifications/${id}/read`),
  markAllRead: () => post<void>('/api/v1/notifications/read-all'),

  recommendations: (limit = 5) => get<Recommendations>(`/api/v1/recommendations/coupons?limit=${limit}`),

  overview: (from: string, to: string) => get<StatsOverview>(`/api/v1/stats/overview${query({ from, to })}`),
  stats: (storeId: number, from: string, to: string) =>
    get<CouponStats>(`/api/v1/stats/stores/${storeId}/coupons${query({ from, to })}`),
};
