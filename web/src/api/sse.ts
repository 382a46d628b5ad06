/** One server-sent event as the HTML standard's parsing rules produce it. */
export interface SseEvent {
  type: string;
  data: string;
  id: string | null;
}

/**
 * Incremental text/event-stream parser: feed it chunks as they arrive, it answers the events completed
 * by each chunk. Handles \n, \r\n and \r line ends split across chunks, comment lines, multi-line data
 * and the last event id, which persists across events as the standard says.
 */
export class SseParser {
  private buffer = '';
  private eventType = '';
  private data: string[] = [];
  private sawData = false;
  private pendingCr = false;
  lastEventId: string | null = null;
  retryMs: number | null = null;

  constructor(lastEventId: string | null = null) {
    this.lastEventId = lastEventId;
  }

  push(chunk: string): SseEvent[] {
    const events: SseEvent[] = [];
    let text = chunk;
    if (this.pendingCr && text.startsWith('\n')) {
      text = text.slice(1);
    }
    this.pendingCr = false;
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') {
        continue;
      }
      const line = this.buffer.slice(start, i);
      if (c === '\r') {
        if (i + 1 < this.buffer.length) {
          if (this.buffer[i + 1] === '\n') {
            i++;
          }
        } else {
          this.pendingCr = true;
        }
      }
      start = i + 1;
      const event = this.line(line);
      if (event) {
        events.push(event);
      }
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === '') {
      return this.dispatch();
    }
    if (line.startsWith(':')) {
      return null;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        this.sawData = true;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.lastEventId = value;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) {
          this.retryMs = Number(value);
        }
        break;
      default:
        break;
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    const type = this.eventType || 'message';
    const data = this.data.join('\n');
    const sawData = this.sawData;
    this.eventType = '';
    this.data = [];
    this.sawData = false;
    if (!sawData) {
      return null;
    }
    return { type, data, id: this.lastEventId };
  }
}

/**
 * 'replaced': the server closed this stream because the user opened more streams elsewhere than it allows (its last
 * event `closed`, reason TOO_MANY_STREAMS); it is not reopened, so that tabs do not push each other out in turn.
 */
export type StreamState = 'connecting' | 'open' | 'waiting' | 'stopped' | 'replaced';

export interface StreamOptions {
  url: string;
  /** A valid access token, or null when signed out (the stream then stops). */
  token: () => Promise<string | null>;
  /** A fresh token after the stream answered 401, or null to stop. */
  renewToken: () => Promise<string | null>;
  onEvent: (event: SseEvent) => void;
  onState?: (state: StreamState) => void;
  fetchFn?: typeof fetch;
  /** Waits before reconnect number n (1, 2, ...); reset once a connection opens. */
  backoffMs?: (attempt: number) => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Whether a `closed` event asks the client not to reconnect (the user holds the most streams allowed). */
function closedForGood(event: SseEvent): boolean {
  try {
    return (JSON.parse(event.data) as { reason?: string })?.reason === 'TOO_MANY_STREAMS';
  } catch {
    return false;
  }
}

export function defaultBackoff(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(attempt - 1, 5));
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Follows an SSE stream with fetch, so that the token travels in the Authorization header and never in
 * a URL. Whenever the stream ends or fails it reconnects with back-off, sending Last-Event-ID so that the
 * server first replays what was missed. Answers a function that stops it.
 */
export function followStream(options: StreamOptions): () => void {
  const controller = new AbortController();
  const signal = controller.signal;
  const fetchFn = options.fetchFn ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const backoff = options.backoffMs ?? defaultBackoff;
  const sleep = options.sleep ?? abortableSleep;
  const state = (s: StreamState) => options.onState?.(s);
  let lastEventId: string | null = null;

  const run = async () => {
    let attempt = 0;
    let token = await options.token().catch(() => null);
    while (!signal.aborted) {
      if (!token) {
        state('stopped');
        return;
      }
      state('connecting');
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${token}` };
        if (lastEventId !== null) {
          headers['Last-Event-ID'] = lastEventId;
        }
        const response = await fetchFn(options.url, { headers, signal, cache: 'no-store' });
        if (response.status === 401) {
          token = await options.renewToken().catch(() => null);
          continue;
        }
        if (response.ok && response.body) {
          attempt = 0;
          state('open');
          const parser = new SseParser(lastEventId);
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) {
              break;
            }
            for (const event of parser.push(decoder.decode(value, { stream: true }))) {
              if (event.type === 'closed') {
                if (closedForGood(event)) {
                  controller.abort();
                  state('replaced');
                  return;
                }
                continue;
              }
              lastEventId = event.id;
              options.onEvent(event);
            }
            lastEventId = parser.lastEventId;
          }
        }
      } catch {
        // network failure or abort: handled below
      }
      if (signal.aborted) {
        break;
      }
      attempt++;
      state('waiting');
      await sleep(backoff(attempt), signal);
      token = await options.token().catch(() => token);
    }
    state('stopped');
  };
  void run();
  return () => controller.abort();
}
