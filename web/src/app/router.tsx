import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

// A small history-API router: the gateway answers index.html for every client route (see CLIENT_ROUTES in
// the gateway's WebAppConfiguration), and the app picks the page from location.pathname.

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) {
    return;
  }
  if (options.replace) {
    window.history.replaceState(null, '', to);
  } else {
    window.history.pushState(null, '', to);
  }
  listeners.forEach((l) => l());
}

/** The current path and query string, e.g. "/coupons/5?x=1". */
export function useLocation(): { path: string; search: URLSearchParams } {
  const location = useSyncExternalStore(subscribe, snapshot);
  const q = location.indexOf('?');
  return {
    path: q === -1 ? location : location.slice(0, q),
    search: new URLSearchParams(q === -1 ? '' : location.slice(q + 1)),
  };
}

/** Matches "/coupons/:id" against a path; answers the parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.replace(/\/+$/, '').split('/');
  if (path === '/' && pattern === '/') {
    return {};
  }
  if (p.length !== s.length) {
    return null;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      if (!s[i]) {
        return null;
      }
      params[p[i].slice(1)] = decodeURIComponent(s[i]);
    } else if (p[i] !== s[i]) {
      return null;
    }
  }
  return params;
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}

/**
 * Sets the document title and, after a navigation, moves focus to the page's main heading so that keyboard
 * and screen-reader users start reading the new page (unless they are already working inside it).
 */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Couponhub`;
    const heading = document.querySelector<HTMLElement>('main h1');
    const main = document.getElementById('main');
    const active = document.activeElement;
    if (heading && (!active || active === document.body || !main?.contains(active))) {
      heading.focus({ preventScroll: true });
    }
  }, [title]);
}
