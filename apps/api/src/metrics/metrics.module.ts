import { type DynamicModule, Global, Module } from '@nestjs/common';

import { EmfPublisher } from './emf-publisher';
import { MetricsListener } from './metrics-listener';
import { MetricsService } from './metrics.service';

/**
 * Metrics are always collected; the listener on METRICS_PORT opens only when METRICS_ENABLED,
 * EMF lines are written only when METRICS_EMF.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(options: { listen: boolean }): DynamicModule {
    return {
      module: MetricsModule,
      providers: [MetricsService, EmfPublisher, ...(options.listen ? [MetricsListener] : [])],
      exports: [MetricsService],
    };
  }
}
