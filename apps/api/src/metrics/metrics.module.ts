import { type DynamicModule, Global, Module } from '@nestjs/common';

import { EmfPublisher } from './emf-publisher';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * Metrics are always collected; GET /metrics exists only when METRICS_ENABLED, EMF lines only
 * when METRICS_EMF.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(options: { endpoint: boolean }): DynamicModule {
    return {
      module: MetricsModule,
      controllers: options.endpoint ? [MetricsController] : [],
      providers: [MetricsService, EmfPublisher],
      exports: [MetricsService],
    };
  }
}
