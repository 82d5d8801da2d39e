import { type DynamicModule, Global, Module } from '@nestjs/common';

import { MetricsListener } from './metrics-listener';
import { MetricsService } from './metrics.service';

/** Metrics are always collected; the listener on METRICS_PORT opens only when METRICS_ENABLED. */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(options: { listen: boolean }): DynamicModule {
    return {
      module: MetricsModule,
      providers: [MetricsService, ...(options.listen ? [MetricsListener] : [])],
      exports: [MetricsService],
    };
  }
}
