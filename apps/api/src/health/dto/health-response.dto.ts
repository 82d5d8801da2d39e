import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const indicators = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', example: 'up' } },
    additionalProperties: true,
  },
} as const;

/** GET /health (healthResponseSchema in @prod-e/health-contract). */
export class HealthResponseDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'], example: 'ok' })
  status!: 'ok' | 'error' | 'shutting_down';

  @ApiProperty({ format: 'date-time', example: '2025-03-14T07:11:18.325Z' })
  timestamp!: string;

  @ApiProperty({ enum: ['connected', 'disconnected'], example: 'connected' })
  database!: 'connected' | 'disconnected';

  @ApiPropertyOptional({ example: '0123abc' })
  version?: string;

  @ApiPropertyOptional({ ...indicators, description: 'Terminus: indicators that are up' })
  info?: Record<string, { status: string }>;

  @ApiPropertyOptional({ ...indicators, description: 'Terminus: indicators that are down' })
  error?: Record<string, { status: string }>;

  @ApiPropertyOptional({ ...indicators, description: 'Terminus: every indicator' })
  details?: Record<string, { status: string }>;
}

/** GET /health/live (livenessResponseSchema in @prod-e/health-contract). */
export class LivenessResponseDto {
  @ApiProperty({ enum: ['ok', 'shutting_down'], example: 'ok' })
  status!: 'ok' | 'shutting_down';

  @ApiProperty({ format: 'date-time', example: '2025-03-14T07:11:18.325Z' })
  timestamp!: string;

  @ApiPropertyOptional({ example: '0123abc' })
  version?: string;
}
