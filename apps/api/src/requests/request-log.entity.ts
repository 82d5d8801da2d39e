import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One served request (table created by the CreateRequestLog migration). */
@Entity({ name: 'request_log' })
export class RequestLogEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'varchar', length: 10 })
  method!: string;

  /** The route template (`/api/requests`), never the raw path. */
  @Column({ type: 'varchar', length: 255 })
  route!: string;

  @Column({ name: 'status_code', type: 'smallint' })
  statusCode!: number;

  @Column({ name: 'duration_ms', type: 'double precision' })
  durationMs!: number;

  @Column({ name: 'request_id', type: 'varchar', length: 128 })
  requestId!: string;

  /** When the request arrived. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export type RequestLogRecord = Omit<RequestLogEntry, 'id'>;
