import { ApiProperty } from '@nestjs/swagger';

/** GET /health (healthResponseSchema in @prod-e/health-contract): these keys only. */
export class HealthResponseDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'], example: 'ok' })
  status!: 'ok' | 'error' | 'shutting_down';

  @ApiProperty({ format: 'date-time', example: '2025-03-14T07:11:18.325Z' })
  timestamp!: string;

  @ApiProperty({ enum: ['connected', 'disconnected'], example: 'connected' })
  database!: 'connected' | 'disconnected';
}

/** GET /health/live (livenessResponseSchema in @prod-e/health-contract): these keys only. */
export class LivenessResponseDto {
  @ApiProperty({ enum: ['ok', 'shutting_down'], example: 'ok' })
  status!: 'ok' | 'shutting_down';

  @ApiProperty({ format: 'date-time', example: '2025-03-14T07:11:18.325Z' })
  timestamp!: string;
}
