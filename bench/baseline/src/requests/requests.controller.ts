import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { RequestLog } from './request-log.entity';

/** `GET /api/requests?limit=10`: the newest rows, through a TypeORM repository (docs style). */
@Controller('api/requests')
export class RequestsController {
  constructor(@InjectRepository(RequestLog) private readonly requests: Repository<RequestLog>) {}

  @Get()
  list(@Query('limit', new DefaultValuePipe(10), ParseIntPipe) limit: number) {
    return this.requests.find({
      order: { createdAt: 'DESC', id: 'DESC' },
      take: Math.min(limit, 100),
    });
  }
}
