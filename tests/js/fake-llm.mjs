// The loopback fake LLM server (tests/fakes/llm_server.py) as a child process of the tests.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../fakes/llm_server.py', import.meta.url));

/**
 * Starts the fake LLM server; resolves to `{url, requests(), stop()}` once it listens.
 * `requests()` is the server's count of requests per path. The server's standard input is a
 * pipe: it exits when the pipe closes (stop(), or this process ending).
 */
export async function startFakeLlm({ timeoutMs = 10_000 } = {}) {
  const child = spawn('python3', [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the fake LLM server did not start in ${timeoutMs} ms: ${out}`)), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the fake LLM server exited (${code}): ${out}`)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /^listening (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  child.stdout.resume();
  return {
    url,
    async requests() {
      const res = await fetch(`${url}/requests`);
      return res.json();
    },
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
