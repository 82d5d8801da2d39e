import { Module } from '@nestjs/common';

import { RequestLogReadCache } from './request-log-read-cache';
import { RequestLogRetention } from './request-log-retention';
import { RequestLogWriter } from './request-log.writer';
import { RequestsController } from './requests.controller';
import { RequestsService } from './requests.service';

@Module({
  controllers: [RequestsController],
  providers: [RequestsService, RequestLogReadCache, RequestLogWriter, RequestLogRetention],
  exports: [RequestLogWriter],
})
export class RequestsModule {}
