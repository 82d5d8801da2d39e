import { type ApiConfig } from '@prod-e/api-config';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { API_CONFIG } from '../../config/api-config.module';
import { AnalyticsPool } from './analytics-pool';
import { DatabaseConnection } from './database-connection.service';
import { dataSourceOptions } from './data-source-options';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => ({
        ...dataSourceOptions(config.database),
        // DatabaseConnection connects in the background; see there for why.
        manualInitialization: true,
      }),
    }),
  ],
  providers: [DatabaseConnection, AnalyticsPool],
  exports: [DatabaseConnection, AnalyticsPool],
})
export class DatabaseModule {}
