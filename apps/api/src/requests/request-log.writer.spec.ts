import type { ApiConfig } from '@prod-e/api-config';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

import { MetricsService } from '../metrics/metrics.service';
import type { DatabaseConnection } from '../services/database/database-connection.service';
import type { RequestLogRecord } from './request-log-columns';
import { RequestLogReadCache } from './request-log-read-cache';
import { INSERT_BATCH_SQL, RequestLogWriter } from './request-log.writer';

const entry = (i: number): RequestLogRecord => ({
  method: 'GET',
  route: '/api/requests',
  statusCode: 200,
  durationMs: i,
  requestId: `req-${i}`,
  createdAt: new Date(0),
});

function setup(bufferSize = 100) {
  const query = jest.fn<Promise<unknown>, [string, unknown[][]]>(() => Promise.resolve([]));
  const config = {
    requestLog: {
      enabled: true,
      bufferSize,
      batchSize: 3,
      flushIntervalMs: 60_000,
      readCacheTtlMs: 0,
    },
  } as unknown as ApiConfig;
  const metrics = new MetricsService();
  const requestLogDropped = { inc: jest.spyOn(metrics.requestLogDropped, 'inc') };
  const writer = new RequestLogWriter(
    { query } as unknown as DataSource,
    config,
    metrics,
    { isInitialized: true } as DatabaseConnection,
    new RequestLogReadCache(config),
  );
  return { writer, query, requestLogDropped };
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

  describe('when the database rejects a row of a batch', () => {
    const rejectsStatus = (bad: number) => (_sql: string, params: unknown[][]) =>
      (params[2] as number[]).includes(bad)
        ? Promise.reject(Object.assign(new Error('smallint out of range'), { code: '22003' }))
        : Promise.resolve([]);

    it('splits the batch until the bad row is alone, drops it and writes the rest once', async () => {
      // Arrange
      const { writer, query } = setup();
      query.mockImplementation(rejectsStatus(999));
      writer.record(entry(0));
      writer.record({ ...entry(1), statusCode: 999 });
      writer.record(entry(2));

      // Act
      await writer.flush();
      await writer.flush();

      // Assert
      const written = query.mock.calls
        .filter(([, params]) => !(params[2] as number[]).includes(999))
        .flatMap(([, params]) => params[4]);
      expect(written).toEqual(['req-0', 'req-2']);
      expect(writer.totals).toEqual({
        written: 2,
        flushedAtShutdown: 0,
        dropped: { buffer_full: 0, rejected: 1, shutdown: 0 },
      });
      expect(writer.pending).toBe(0);
    });

    it('keeps only the unwritten rows when the database goes away during the split', async () => {
      // Arrange: the first half is rejected for its data, then the connection drops
      const { writer, query } = setup();
      query
        .mockRejectedValueOnce(Object.assign(new Error('bad'), { code: '22003' }))
        .mockResolvedValueOnce([])
        .mockRejectedValueOnce(Object.assign(new Error('gone'), { code: 'ECONNRESET' }));
      for (let i = 0; i < 3; i += 1) writer.record(entry(i));

      // Act
      await writer.flush();

      // Assert: req-0 and req-1 were written as the first half; only req-2 waits for a retry
      expect(writer.pending).toBe(1);
      expect(writer.totals.written).toBe(2);
    });
  });

  describe('when the database fails while the buffer is full', () => {
    it('drops what no longer fits as buffer_full, warns once, and writes the rest once it is back', async () => {
      // Arrange: room for 4; the first batch is out for a retry while three more arrive
      const { writer, query, requestLogDropped } = setup(4);
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      query.mockRejectedValue(Object.assign(new Error('connection lost'), { code: 'ECONNRESET' }));

      // Act
      for (let i = 0; i < 3; i += 1) writer.record(entry(i));
      await writer.flush();
      for (let i = 3; i < 6; i += 1) writer.record(entry(i));
      await writer.flush();
      query.mockResolvedValue([]);
      await writer.flush();

      // Assert: the failed batch went back in front of the newer entries and the two oldest
      // no longer fitted; everything kept was written once, in arrival order
      const written = query.mock.calls.slice(-2).flatMap(([, params]) => params[4]);
      expect(written).toEqual(['req-2', 'req-3', 'req-4', 'req-5']);
      expect(writer.totals.dropped.buffer_full).toBe(2);
      expect(requestLogDropped.inc).toHaveBeenCalledWith({ reason: 'buffer_full' }, 2);
      expect(warn.mock.calls.map(([message]) => message)).toEqual([
        'request log write failed, will retry: connection lost',
      ]);
      expect(log).toHaveBeenCalledWith('request log writes resumed');
      expect(writer.pending).toBe(0);
    });
  });
});
