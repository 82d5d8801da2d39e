import {
  type HealthResponse,
  HEALTH_PATH,
  LIVENESS_PATH,
  type LivenessResponse,
  healthHttpStatus,
} from '@prod-e/health-contract';
import {
  Controller,
  Get,
  HttpStatus,
  Logger,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { MetricsService } from '../metrics/metrics.service';
import { DatabaseHealthIndicator } from '../services/database/database.health';
import { ShutdownState } from '../services/lifecycle/shutdown-state.service';
import { HealthResponseDto, LivenessResponseDto } from './dto/health-response.dto';
import { failureOf, healthBody, livenessBody } from './health-body';

/** Never behind auth or rate limiting: ECS, the ALB and deploy verification call these. */
@ApiTags('health')
@Controller()
export class HealthController {
  private readonly logger = new Logger('Health');
  /** The last failure logged, so a probe every few seconds logs a change, not a repeat. */
  private lastFailure = '';

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly shutdown: ShutdownState,
    private readonly metrics: MetricsService,
  ) {}

  /** Process and PostgreSQL: for deploy verification, alarms and people. */
  @Get(HEALTH_PATH)
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthResponseDto, description: 'Healthy' })
  @ApiServiceUnavailableResponse({
    type: HealthResponseDto,
    description: 'Database down, or shutting down',
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    if (this.shutdown.isShuttingDown) {
      // Draining: no new database probe; the last known state is not worth a query now.
      reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return healthBody({ status: 'shutting_down', details: {} });
    }
    const result = await this.health
      .check([() => this.database.isHealthy('database')])
      .catch((error: unknown) => {
        // Terminus throws a 503 whose response is the full result; keep that result.
        if (error instanceof ServiceUnavailableException) {
          return error.getResponse() as HealthCheckResult;
        }
        throw error;
      });
    this.logChange(failureOf(result));
    const body = healthBody(result);
    const status = healthHttpStatus(body);
    this.metrics.healthStatus.set(status === 200 ? 1 : 0);
    // The contract body with its status, not an error body: the filter shapes errors only.
    reply.status(status);
    return body;
  }

  /** Liveness, no I/O: the container and ALB checks call it by default. */
  @Get(LIVENESS_PATH)
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: LivenessResponseDto, description: 'Serving' })
  @ApiServiceUnavailableResponse({ type: LivenessResponseDto, description: 'Shutting down' })
  live(@Res({ passthrough: true }) reply: FastifyReply): LivenessResponse {
    const body = livenessBody(this.shutdown.isShuttingDown);
    if (body.status !== 'ok') reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return body;
  }

  /** The detail the public body leaves out (driver errors, addresses): to the log, once per change. */
  private logChange(failure: string): void {
    if (failure === this.lastFailure) return;
    if (failure) this.logger.warn(`health check failing: ${failure}`);
    else this.logger.log(`health check passing again (was: ${this.lastFailure})`);
    this.lastFailure = failure;
  }
}
