import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/database.ts';
import { useHotline } from '../../test/harness/hotline.ts';
import { useRedisPrefix } from '../../test/harness/redis.ts';

describe('/metrics', () => {
  it('exposes process, HTTP and queue metrics in Prometheus text format', async () => {
    const hotline = await useHotline({ DATABASE_URL: await useTestDatabase(), REDIS_PREFIX: useRedisPrefix() });
    await hotline.deps.queues.queue('metrics-test').add('ping', {}, { delay: 60_000 });
    await fetch(`${hotline.url}/healthz`);

    const response = await fetch(`${hotline.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^hotline_http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} 1$/m);
    expect(text).toMatch(/^hotline_queue_jobs\{queue="metrics-test",state="delayed"\} 1$/m);
    expect(text).toMatch(/^hotline_queue_jobs\{queue="metrics-test",state="waiting"\} 0$/m);
  });
});
