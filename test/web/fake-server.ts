// A stand-in for the server in component tests: answers each request in turn, records what was
// sent, and refuses anything it was not told to expect.
import { vi } from 'vitest';

export interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export function fakeServer(...answers: { status: number; body: unknown }[]): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: { method: string; headers: Record<string, string>; body: string | null }) => {
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected request ${init.method} ${url}`);
      sent.push({ url, method: init.method, headers: init.headers, body: init.body === null ? undefined : JSON.parse(init.body) });
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    }),
  );
  return sent;
}
