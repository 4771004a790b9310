// Starts the standalone fake (vault-ops fake-server) the way a user's test suite would: one child process,
// its ready line read from standard output, the VAULT_FAKE_* variables taken from it, SIGTERM to stop.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');

/** The built vault-ops: VAULT_OPS_DLL, else the solution's Debug build of src/VaultGrpc.Cli. */
function vaultOpsDll() {
  return process.env.VAULT_OPS_DLL
    ?? path.join(repoRoot, 'src', 'VaultGrpc.Cli', 'bin', 'Debug', 'net10.0', 'vault-ops.dll');
}

export async function startFake(extraArgs = []) {
  const child = spawn('dotnet', [vaultOpsDll(), 'fake-server', '--ready-json', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit');
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line),
    exited.then(([code]) => { throw new Error(`fake-server exited ${code} before it was ready: ${stderr}`); }),
  ]);
  const ready = JSON.parse(first);
  Object.assign(process.env, ready.env);
  return {
    ready,
    child,
    stderr: () => stderr,
    /** SIGTERM, as a harness stops it; resolves to the exit code. */
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
  };
}

/** Calls the admin API at VAULT_FAKE_ADMIN; resolves to { status, body } with the JSON body parsed. */
export async function admin(method, route, body) {
  const response = await fetch(new URL(route, process.env.VAULT_FAKE_ADMIN), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** A REST call at VAULT_FAKE_REST; resolves to { status, headers, body } (JSON when it parses, else text). */
export async function rest(method, route, body) {
  const response = await fetch(new URL(route, process.env.VAULT_FAKE_REST), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON: kept as text */ }
  return { status: response.status, headers: response.headers, body: parsed };
}
