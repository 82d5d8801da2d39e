import { ApiProperty } from '@nestjs/swagger';

export class RequestLogItemDto {
  @ApiProperty({ example: '42', description: 'Row id (a bigint, as a string)' })
  id!: string;

  @ApiProperty({ example: 'GET' })
  method!: string;

  @ApiProperty({ example: '/api/requests', description: 'Route template, not the raw path' })
  route!: string;

  @ApiProperty({ example: 200 })
  statusCode!: number;

  @ApiProperty({ example: 3.2 })
  durationMs!: number;

  @ApiProperty({ example: '2025-03-14T07:11:18.325Z', format: 'date-time' })
  timestamp!: string;

  @ApiProperty({ example: 'b7c6a1de-3f0a-4d59-9a62-0d6f3d7c1e55' })
  requestId!: string;
}

export class RequestLogPageDto {
  @ApiProperty({ type: [RequestLogItemDto], description: 'Newest first' })
  items!: RequestLogItemDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next (older) page; null on the last page',
  })
  nextCursor!: string | null;
}
