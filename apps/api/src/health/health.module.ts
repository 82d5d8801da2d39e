import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { DatabaseHealthIndicator } from '../services/database/database.health';
import { HealthController } from './health.controller';

@Module({
  // Failed checks are visible in /health, the health_status metric and the connection's own
  // warnings; Terminus's per-request error log would only repeat them on every probe.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator],
})
export class HealthModule {}
