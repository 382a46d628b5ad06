import { describe, expect, it } from 'vitest';
import { followStream, SseParser, type SseEvent, type StreamState } from './sse';

describe('SseParser', () => {
  it('parses events split anywhere across chunks, with comments and every line ending', () => {
    const parser = new SseParser();
    const text = ': keep-alive\r\nevent:COUPON_PUBLISHED\r\nid:7\r\ndata:{"id":7}\r\n\r\nevent: COUPON_CLAIMED\nid: 8\ndata: line one\ndata: line two\n\n:ping\r\rid:9\rdata:x\r\r';
    const events: SseEvent[] = [];
    for (let i = 0; i < text.length; i += 3) {
      events.push(...parser.push(text.slice(i, i + 3)));
    }
    expect(events).toEqual([
      { type: 'COUPON_PUBLISHED', data: '{"id":7}', id: '7' },
      { type: 'COUPON_CLAIMED', data: 'line one\nline two', id: '8' },
      { type: 'message', data: 'x', id: '9' },
    ]);
    expect(parser.lastEventId).toBe('9');
  });

  it('does not dispatch an event without data, and keeps the last id', () => {
    const parser = new SseParser('3');
    expect(parser.push('event: x\n\n')).toEqual([]);
    expect(parser.push('data: y\n\n')).toEqual([{ type: 'message', data: 'y', id: '3' }]);
  });
});

function streamResponse(chunks: string[], status = 200): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });
  return new Response(body, { status, headers: { 'Content-Type': 'text/event-stream' } });
}

describe('followStream', () => {
  it('reconnects after the stream ends, sending Last-Event-ID so the server replays what was missed', async () => {
    const requests: Record<string, string>[] = [];
    const events: SseEvent[] = [];
    const answers = [
      () => streamResponse(['id: 41\nevent: COUPON_PUBLISHED\ndata: {"id":41}\n\n']),
      () => streamResponse(['id: 42\nevent: COUPON_CLAIMED\ndata: {"id":42}\n\n']),
    ];
    let stop = () => {};
    const done = new Promise<void>((resolve) => {
      stop = followStream({
        url: '/api/v1/notifications/stream',
        token: async () => 'access-1',
        renewToken: async () => 'access-2',
        fetchFn: async (_url, init) => {
          requests.push({ ...(init?.headers as Record<string, string>) });
          const next = answers.shift();
          if (!next) {
            resolve();
            return new Promise<Response>(() => {});
          }
          return next();
        },
        onEvent: (e) => events.push(e),
        sleep: async () => {},
      });
    });
    await done;
    stop();
    expect(events.map((e) => e.id)).toEqual(['41', '42']);
    expect(requests[0]['Last-Event-ID']).toBeUndefined();
    expect(requests[1]['Last-Event-ID']).toBe('41');
    expect(requests[2]['Last-Event-ID']).toBe('42');
    expect(requests[0].Authorization).toBe('Bearer access-1');
  });

  it('renews the token when the stream answers 401 and stops when the session is over', async () => {
    const states: StreamState[] = [];
    const auths: string[] = [];
    let renewals = 0;
    await new Promise<void>((resolve) => {
      followStream({
        url: '/s',
        token: async () => 'old',
        renewToken: async () => (++renewals === 1 ? 'new' : null),
        fetchFn: async (_u, init) => {
          auths.push((init?.headers as Record<string, string>).Authorization);
          return new Response(null, { status: 401 });
        },
        onEvent: () => {},
        onState: (s) => {
          states.push(s);
          if (s === 'stopped') resolve();
        },
        sleep: async () => {},
      });
    });
    expect(auths).toEqual(['Bearer old', 'Bearer new']);
    expect(states.at(-1)).toBe('stopped');
  });

  it('stops for good when the server closes the stream because the user opened too many elsewhere', async () => {
    const states: StreamState[] = [];
    const events: SseEvent[] = [];
    let requests = 0;
    await new Promise<void>((resolve) => {
      followStream({
        url: '/s',
        token: async () => 'access',
        renewToken: async () => null,
        fetchFn: async () => {
          requests++;
          return streamResponse([
            'id: 5\nevent: COUPON_CLAIMED\ndata: {"id":5}\n\n',
            'event: closed\ndata: {"reason":"TOO_MANY_STREAMS"}\n\n',
          ]);
        },
        onEvent: (e) => events.push(e),
        onState: (s) => {
          states.push(s);
          if (s === 'replaced' || s === 'stopped') resolve();
        },
        sleep: async () => {},
      });
    });
    expect(events.map((e) => e.type)).toEqual(['COUPON_CLAIMED']);
    expect(states.at(-1)).toBe('replaced');
    expect(requests).toBe(1);
  });
});
