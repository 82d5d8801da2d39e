import type { ApiConfig } from '@prod-e/config';
import type { DataSource } from 'typeorm';

import type { MetricsService } from '../metrics/metrics.service';
import type { DatabaseConnection } from '../services/database/database-connection.service';
import type { RequestLogRecord } from './request-log.entity';
import { INSERT_BATCH_SQL, RequestLogWriter } from './request-log.writer';

const entry = (i: number): RequestLogRecord => ({
  method: 'GET',
  route: '/api/requests',
  statusCode: 200,
  durationMs: i,
  requestId: `req-${i}`,
  createdAt: new Date(0),
});

function setup() {
  const query = jest.fn<Promise<unknown>, [string, unknown[][]]>(() => Promise.resolve([]));
  const config = {
    requestLog: { enabled: true, bufferSize: 100, batchSize: 3, flushIntervalMs: 60_000 },
  } as unknown as ApiConfig;
  const writer = new RequestLogWriter(
    { query } as unknown as DataSource,
    config,
    { requestLogDropped: { inc: jest.fn() } } as unknown as MetricsService,
    { isInitialized: true } as DatabaseConnection,
  );
  return { writer, query };
}

describe('RequestLogWriter', () => {
  describe('while requests arrive', () => {
    it('writes each full batch with one statement and leaves a partial batch for the flush', async () => {
      // Arrange
      const { writer, query } = setup();

      // Act
      for (let i = 0; i < 4; i += 1) writer.record(entry(i));
      await Promise.resolve();
      const pendingBeforeFlush = writer.pending;
      const statementsBeforeFlush = query.mock.calls.length;
      await writer.flush();

      // Assert
      expect(statementsBeforeFlush).toBe(1);
      expect(pendingBeforeFlush).toBe(1);
      expect(writer.pending).toBe(0);
      expect(query.mock.calls.map(([sql]) => sql)).toEqual([INSERT_BATCH_SQL, INSERT_BATCH_SQL]);
      expect(query.mock.calls[0][1][4]).toEqual(['req-0', 'req-1', 'req-2']);
      expect(query.mock.calls[1][1]).toEqual([
        ['GET'],
        ['/api/requests'],
        [200],
        [3],
        ['req-3'],
        [new Date(0)],
      ]);
    });
  });

  describe('under steady load', () => {
    it('a flush writes what was buffered when it began, not what arrives meanwhile', async () => {
      // Arrange: the first INSERT is slow; entries keep arriving while it runs
      const { writer, query } = setup();
      let finishInsert!: () => void;
      query.mockImplementationOnce(
        () => new Promise((resolve) => (finishInsert = () => resolve([]))),
      );
      writer.record(entry(0));

      // Act
      const flushed = writer.flush();
      writer.record(entry(1));
      writer.record(entry(2));
      finishInsert();
      await flushed;

      // Assert: one INSERT (the flushed entry); the two newer ones wait for a batch or a tick
      expect(query).toHaveBeenCalledTimes(1);
      expect(writer.pending).toBe(2);
    });
  });
});
