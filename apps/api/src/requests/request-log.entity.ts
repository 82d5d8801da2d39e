import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { REQUEST_LOG_COLUMN_LENGTHS as LENGTHS } from './request-log-limits';

/** One served request (table created by the CreateRequestLog migration, sizes in request-log-limits). */
@Entity({ name: 'request_log' })
export class RequestLogEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'varchar', length: LENGTHS.method })
  method!: string;

  /** The route template (`/api/requests`), never the raw path. */
  @Column({ type: 'varchar', length: LENGTHS.route })
  route!: string;

  @Column({ name: 'status_code', type: 'smallint' })
  statusCode!: number;

  @Column({ name: 'duration_ms', type: 'double precision' })
  durationMs!: number;

  @Column({ name: 'request_id', type: 'varchar', length: LENGTHS.request_id })
  requestId!: string;

  /** When the request arrived. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export type RequestLogRecord = Omit<RequestLogEntry, 'id'>;
