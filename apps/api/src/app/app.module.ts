import { type ApiConfig } from '@prod-e/api-config';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

import { AllExceptionsFilter } from '../common/all-exceptions.filter';
import { ApiConfigModule } from '../config/api-config.module';
import { HealthModule } from '../health/health.module';
import { MetricsModule } from '../metrics/metrics.module';
import { RequestsModule } from '../requests/requests.module';
import { DatabaseModule } from '../services/database/database.module';
import { LifecycleModule } from '../services/lifecycle/lifecycle.module';
import { createHttpLogger, nestLoggerParams } from './logger-options';
import { HTTP_LOGGER } from './request-logging';

export interface AppModuleOptions {
  /** Where logs go instead of stdout (tests capture them). */
  readonly logStream?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, options: AppModuleOptions = {}): DynamicModule {
    const httpLogger = createHttpLogger(config, options.logStream);
    return {
      module: AppModule,
      imports: [
        ApiConfigModule.forRoot(config),
        LoggerModule.forRoot(nestLoggerParams(httpLogger)),
        LifecycleModule,
        MetricsModule.forRoot({ listen: config.metricsEnabled }),
        DatabaseModule,
        HealthModule,
        RequestsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: HTTP_LOGGER, useValue: httpLogger },
      ],
    };
  }
}
