import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { RequestLog } from './request-log.entity';
import { RequestsController } from './requests.controller';

@Module({
  imports: [TypeOrmModule.forFeature([RequestLog])],
  controllers: [RequestsController],
})
export class RequestsModule {}
