import { ApiProperty } from '@nestjs/swagger';

export class RouteStatsDto {
  @ApiProperty({ example: 'GET' })
  method!: string;

  @ApiProperty({ example: '/api/requests' })
  route!: string;

  @ApiProperty({ example: 120 })
  count!: number;

  @ApiProperty({ example: 0.01, description: 'Share of responses with status >= 500' })
  errorRate!: number;

  @ApiProperty({ example: 0.05, description: 'Share of responses with status 400-499' })
  clientErrorRate!: number;

  @ApiProperty({ example: 2.5, description: 'Median duration, ms' })
  p50Ms!: number;

  @ApiProperty({ example: 9.1 })
  p95Ms!: number;

  @ApiProperty({ example: 20.4 })
  p99Ms!: number;
}

export class RequestStatsDto {
  @ApiProperty({ example: '15m' })
  window!: string;

  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({
    enum: ['exact', 'histogram'],
    description:
      'exact: percentile_cont over the rows (windows up to 1 h); histogram: read from hourly ' +
      'duration histograms (longer windows, whole hours, within about ±7 %)',
  })
  percentiles!: 'exact' | 'histogram';

  @ApiProperty({ type: [RouteStatsDto], description: 'Busiest route first' })
  routes!: RouteStatsDto[];
}
