import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiInternalServerErrorResponse,
  ApiOkResponse,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import { ErrorResponseDto } from '../common/error-response.dto';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { RequestLogPageDto } from './dto/request-log-page.dto';
import { RequestStatsDto } from './dto/request-stats.dto';
import {
  DEFAULT_PAGE_SIZE,
  type ListRequestsQuery,
  MAX_PAGE_SIZE,
  listRequestsQuerySchema,
} from './dto/list-requests.query';
import {
  DEFAULT_STATS_WINDOW,
  type RequestStatsQuery,
  requestStatsQuerySchema,
} from './dto/request-stats.query';
import { RequestsService } from './requests.service';

@ApiTags('requests')
@ApiBearerAuth()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A parameter is invalid (named)' })
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Bearer token missing or wrong' })
@ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Over the rate limit' })
@ApiInternalServerErrorResponse({ type: ErrorResponseDto, description: 'A bug; logged' })
@ApiServiceUnavailableResponse({
  type: ErrorResponseDto,
  description: 'Database unavailable, or too many request-log reads waiting; retry later',
})
@Controller('api/requests')
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  @Get()
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
  })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'route', required: false, description: 'Route template, e.g. /api/requests' })
  @ApiQuery({
    name: 'status',
    required: false,
    schema: { type: 'integer', minimum: 100, maximum: 599 },
  })
  @ApiQuery({ name: 'since', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiOkResponse({ type: RequestLogPageDto, description: 'Recorded requests, newest first' })
  list(
    @Query(new ZodValidationPipe(listRequestsQuerySchema)) query: ListRequestsQuery,
  ): Promise<RequestLogPageDto> {
    return this.requests.list(query);
  }

  @Get('stats')
  @ApiQuery({
    name: 'window',
    required: false,
    example: DEFAULT_STATS_WINDOW,
    description: 'How far back: 30s, 15m, 6h, 7d (max 30d)',
  })
  @ApiOkResponse({
    type: RequestStatsDto,
    description: 'Per route: count, error rates, p50/p95/p99',
  })
  stats(
    @Query(new ZodValidationPipe(requestStatsQuerySchema)) query: RequestStatsQuery,
  ): Promise<RequestStatsDto> {
    return this.requests.stats(query);
  }
}
