import { Module } from '@nestjs/common';

import { RequestLogRetention } from './request-log-retention';
import { RequestLogWriter } from './request-log.writer';
import { RequestsController } from './requests.controller';
import { RequestsService } from './requests.service';

@Module({
  controllers: [RequestsController],
  providers: [RequestsService, RequestLogWriter, RequestLogRetention],
  exports: [RequestLogWriter],
})
export class RequestsModule {}
