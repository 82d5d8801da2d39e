import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { HealthModule } from './health/health.module';
import { RequestsModule } from './requests/requests.module';

@Module({
  imports: [
    // The TypeORM docs' forRoot, with the URL from the environment and no synchronize.
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      autoLoadEntities: true,
      synchronize: false,
    }),
    HealthModule,
    RequestsModule,
  ],
})
export class AppModule {}
