// The standalone fake from Node: driven only through its admin API and its two transports, with @grpc/grpc-js and
// @grpc/proto-loader on the project's own protos (google/api and google/rpc from .buf-deps, see run-node-tests).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { startFake, admin, rest, repoRoot } from './fake-harness.mjs';

const definition = protoLoader.loadSync('google/longrunning/operations.proto', {
  includeDirs: [path.join(repoRoot, 'protos', 'longrunning'), path.join(repoRoot, '.buf-deps')],
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});
const { Operations } = grpc.loadPackageDefinition(definition).google.longrunning;

let fake;
let operations;

before(async () => {
  fake = await startFake();
  // The convention: a gRPC target in VAULT_FAKE_GRPC, base URLs in VAULT_FAKE_REST and VAULT_FAKE_ADMIN.
  operations = new Operations(process.env.VAULT_FAKE_GRPC, grpc.credentials.createInsecure());
});

after(async () => {
  operations?.close();
  const code = await fake?.stop();
  assert.equal(code, 0, `fake-server exit code after SIGTERM: ${fake?.stderr()}`);
});

beforeEach(async () => {
  const { status } = await admin('POST', '/v1/reset');
  assert.equal(status, 200);
});

const getOverGrpc = (name) => new Promise((resolve, reject) => {
  operations.getOperation({ name }, { deadline: Date.now() + 10_000 }, (error, value) => (error ? reject(error) : resolve(value)));
});

const callOtherService = (route) => new Promise((resolve) => {
  const client = new grpc.Client(process.env.VAULT_FAKE_GRPC, grpc.credentials.createInsecure());
  const identity = (buffer) => buffer;
  client.makeUnaryRequest(route, identity, identity, Buffer.alloc(0), { deadline: Date.now() + 10_000 }, (error, value) => {
    client.close();
    resolve({ error, value });
  });
});

const seed = [
  { name: 'operations/run', metadata: { '@type': 'type.googleapis.com/google.protobuf.Struct', value: { progress: 40 } } },
  { name: 'operations/ok', done: true, response: { '@type': 'type.googleapis.com/google.protobuf.StringValue', value: 'exported' } },
  { name: 'operations/bad', done: true, error: { code: 7, message: 'no access' } },
];

test('seeded operations read the same over gRPC and REST', async () => {
  const seeded = await admin('POST', '/v1/operations', seed);
  assert.equal(seeded.status, 201);

  for (const { name } of seed) {
    const viaGrpc = await getOverGrpc(name);
    const viaRest = await rest('GET', `/v1/${name}`);
    assert.equal(viaRest.status, 200);
    assert.equal(viaGrpc.name, viaRest.body.name);
    assert.equal(viaGrpc.done, viaRest.body.done ?? false);
  }

  const ok = await getOverGrpc('operations/ok');
  assert.equal(ok.result, 'response');
  assert.equal(ok.response.type_url ?? ok.response.typeUrl, 'type.googleapis.com/google.protobuf.StringValue');
  assert.ok(Buffer.from(ok.response.value).includes('exported'));
  const bad = await getOverGrpc('operations/bad');
  assert.equal(bad.error.code, 7);
  const run = await rest('GET', '/v1/operations/run');
  assert.equal(run.body.metadata.value.progress, 40);
});

test('a fault added through the admin API is observed once, over the transport it names', async () => {
  await admin('POST', '/v1/operations', { name: 'operations/f' });
  const added = await admin('POST', '/v1/faults', {
    fault: 'status', code: 'UNAVAILABLE', message: 'try again', method: 'get', transport: 'grpc', times: 1,
  });
  assert.equal(added.status, 201);

  await assert.rejects(getOverGrpc('operations/f'), (error) => error.code === grpc.status.UNAVAILABLE && error.details === 'try again');
  assert.equal((await getOverGrpc('operations/f')).name, 'operations/f');
  assert.equal((await rest('GET', '/v1/operations/f')).status, 200);

  const rules = await admin('GET', '/v1/faults');
  assert.equal(rules.body.faults[0].hits, 1);
  assert.equal(rules.body.faults[0].remaining, 0);
});

test('429 with Retry-After over REST', async () => {
  await admin('POST', '/v1/operations', { name: 'operations/q' });
  await admin('POST', '/v1/faults', { fault: 'too-many-requests', retryAfter: '3s', transport: 'rest' });

  const answer = await rest('GET', '/v1/operations/q');
  assert.equal(answer.status, 429);
  assert.equal(answer.headers.get('retry-after'), '3');
  assert.equal(answer.body.error.status, 'RESOURCE_EXHAUSTED');
});

test('switching the gRPC mode at run time: UNIMPLEMENTED over gRPC, REST still served', async () => {
  await admin('POST', '/v1/operations', { name: 'operations/m' });
  const switched = await admin('PUT', '/v1/grpc-mode', { mode: 'unimplemented' });
  assert.equal(switched.body.mode, 'unimplemented');

  await assert.rejects(getOverGrpc('operations/m'), (error) => error.code === grpc.status.UNIMPLEMENTED);
  assert.equal((await rest('GET', '/v1/operations/m')).status, 200);

  await admin('PUT', '/v1/grpc-mode', { mode: 'serve', unimplementedMethods: ['get'] });
  await assert.rejects(getOverGrpc('operations/m'), (error) => error.code === grpc.status.UNIMPLEMENTED && /Method/.test(error.details));
});

test('another gRPC service is UNIMPLEMENTED; grpc.health.v1 answers SERVING', async () => {
  const other = await callOtherService('/acme.billing.v1.Invoices/GetInvoice');
  assert.equal(other.error?.code, grpc.status.UNIMPLEMENTED);

  // HealthCheckRequest{service:""} is zero bytes; HealthCheckResponse{status:SERVING} is field 1, varint 1.
  const health = await callOtherService('/grpc.health.v1.Health/Check');
  assert.equal(health.error, null);
  assert.deepEqual([...health.value], [0x08, 0x01]);
});

test('REST Cancel with {} is the empty request; fields are refused; the journal says which', async () => {
  await admin('POST', '/v1/operations', [{ name: 'operations/c1' }, { name: 'operations/c2' }]);

  assert.equal((await rest('POST', '/v1/operations/c1:cancel', '{}')).status, 200);
  const refused = await rest('POST', '/v1/operations/c2:cancel', '{"name":"operations/c2"}');
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.status, 'INVALID_ARGUMENT');

  const journal = await admin('GET', '/v1/journal?transport=rest&method=cancel');
  assert.deepEqual(journal.body.entries.map((e) => [e.operationName, e.bodyShape, e.status]), [
    ['operations/c1', 'empty-object', 'OK'],
    ['operations/c2', 'fields', 'INVALID_ARGUMENT'],
  ]);
});

test('the journal reads back every call in order, page by page', async () => {
  await admin('POST', '/v1/operations', { name: 'operations/j' });
  for (let i = 0; i < 3; i++) {
    await getOverGrpc('operations/j');
    await rest('GET', '/v1/operations/j');
  }

  const seen = [];
  let after = 0;
  for (;;) {
    const page = await admin('GET', `/v1/journal?pageSize=4&after=${after}`);
    assert.equal(page.status, 200);
    seen.push(...page.body.entries.map((e) => `${e.transport} ${e.method} ${e.status}`));
    if (page.body.nextAfter === null) break;
    after = page.body.nextAfter;
  }

  assert.deepEqual(seen, ['grpc get OK', 'rest get OK', 'grpc get OK', 'rest get OK', 'grpc get OK', 'rest get OK']);
});

test('bad admin input is a 400 naming the field', async () => {
  const answer = await admin('POST', '/v1/faults', { fault: 'status', code: 'SORTA_BAD' });
  assert.equal(answer.status, 400);
  assert.equal(answer.body.error.field, 'code');
});
