import { type SpanKind, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth } from '../http/auth/basic-auth.js';
import { createHttpClient } from '../http/http-client.js';
import { createTestServer, sendJson, type TestServer } from '../testing/test-server/test-server.js';
import { installTestTelemetry } from './test-sdk.js';

// The real OpenTelemetry SDK, with in-memory exporters: what an operator's collector would get.
const telemetry = installTestTelemetry();
const { spans } = telemetry;

const PASSWORD = 'telemetry-password-5e1f';
const SIGNATURE = 'sig-value-9a7c33';
const CLIENT_KIND: SpanKind = 2;

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
  let flaky = 0;
  server.route('GET', '/nodes/free', (_request, response) => sendJson(response, 200, ['n1']));
  server.route('GET', '/flaky', (_request, response) => {
    flaky += 1;
    sendJson(response, flaky % 2 === 1 ? 503 : 200, { ok: flaky % 2 === 0 });
  });
  server.route('GET', '/echo', (request, response) =>
    sendJson(response, 400, { message: `bad request ${request.url} ${request.headers.authorization} ${PASSWORD}` }),
  );
});
afterEach(() => spans.reset());
afterAll(async () => {
  await server?.close();
  telemetry.uninstall();
});

const client = () =>
  createHttpClient({
    backend: 'hil',
    baseUrl: server.url,
    auth: basicAuth({ username: 'ocx', password: PASSWORD }),
    headers: { 'x-api-key': `key-${PASSWORD}` },
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
  });

const metricPoints = (name: string) => telemetry.points(name);

describe('backend calls through OpenTelemetry', () => {
  it('a call is one client span named backend + operation, with method, server, status and retries', async () => {
    const http = client();
    await http.get('/nodes/free?project=genomics', { operation: 'list_free_nodes' });
    const [span, ...rest] = spans.getFinishedSpans();
    expect(rest).toEqual([]);
    expect(span!.name).toBe('hil list_free_nodes');
    expect(span!.kind).toBe(CLIENT_KIND);
    expect(span!.instrumentationScope.name).toBe('@ocx/core');
    expect(span!.attributes).toEqual({
      'ocx.backend': 'hil',
      'ocx.operation': 'list_free_nodes',
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'http.response.status_code': 200,
      'ocx.retries': 0,
    });
    expect(span!.status.code).toBe(0);
  });

  it('retries are counted on the one span of the call', async () => {
    await client().get('/flaky', { operation: 'flaky' });
    const finished = spans.getFinishedSpans();
    expect(finished).toHaveLength(1);
    expect(finished[0]!.attributes['ocx.retries']).toBe(1);
    expect(finished[0]!.attributes['http.response.status_code']).toBe(200);
  });

  it('a failed call: error status, error.type = the OcxError code, an error counted', async () => {
    const before = (await metricPoints('ocx.backend.call.errors')).reduce((sum, point) => sum + Number(point.value), 0);
    await expect(client().get('/missing', { operation: 'get_node' })).rejects.toMatchObject({ code: 'not-found' });
    const [span] = spans.getFinishedSpans();
    expect(span!.status.code).toBe(2);
    expect(span!.attributes['error.type']).toBe('not-found');
    expect(span!.attributes['http.response.status_code']).toBe(404);
    const errors = await metricPoints('ocx.backend.call.errors');
    const after = errors.reduce((sum, point) => sum + Number(point.value), 0);
    expect(after - before).toBe(1);
    expect(errors.some((point) => point.attributes['error.type'] === 'not-found')).toBe(true);
  });

  it('durations are recorded per backend and operation', async () => {
    await client().get('/nodes/free', { operation: 'list_free_nodes' });
    const points = await metricPoints('ocx.backend.call.duration');
    const mine = points.find(
      (point) =>
        point.attributes['ocx.operation'] === 'list_free_nodes' && point.attributes['error.type'] === undefined,
    );
    expect(mine).toBeDefined();
    expect((mine!.value as { count: number }).count).toBeGreaterThanOrEqual(1);
  });

  it('a call inside a workflow span is its child', async () => {
    const tracer = trace.getTracer('test');
    await tracer.startActiveSpan('enclave.add-node', async (parent) => {
      await client().get('/nodes/free', { operation: 'list_free_nodes' });
      parent.end();
    });
    const finished = spans.getFinishedSpans();
    const parent = finished.find((span) => span.name === 'enclave.add-node')!;
    const child = finished.find((span) => span.name === 'hil list_free_nodes')!;
    expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
  });

  it('no secret, query, header or body reaches a span: not in attributes, status, events or name', async () => {
    await expect(client().get(`/echo?sig=${SIGNATURE}&token=${PASSWORD}`, { operation: 'echo' })).rejects.toMatchObject(
      { code: 'http' },
    );
    const everything = JSON.stringify(
      spans.getFinishedSpans().map((span) => ({
        name: span.name,
        attributes: span.attributes,
        status: span.status,
        events: span.events,
        links: span.links,
      })),
    );
    expect(everything).toContain('hil echo');
    for (const secret of [PASSWORD, SIGNATURE, Buffer.from(`ocx:${PASSWORD}`).toString('base64'), 'sig=', 'token=']) {
      expect(everything).not.toContain(secret);
    }
    const points = JSON.stringify(await metricPoints('ocx.backend.call.duration'));
    expect(points).not.toContain(PASSWORD);
    expect(points).not.toContain(SIGNATURE);
  });
});
