import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { RequestLogEntry } from './request-log.entity';
import { RequestLogRetention } from './request-log-retention';
import { RequestLogWriter } from './request-log.writer';
import { RequestsController } from './requests.controller';
import { RequestsService } from './requests.service';

@Module({
  imports: [TypeOrmModule.forFeature([RequestLogEntry])],
  controllers: [RequestsController],
  providers: [RequestsService, RequestLogWriter, RequestLogRetention],
  exports: [RequestLogWriter],
})
export class RequestsModule {}
