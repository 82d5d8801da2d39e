import { CreateRequestLog1764460800000 } from './1764460800000-create-request-log';
import { BoundRequestLog1764633600000 } from './1764633600000-bound-request-log';
import { CreateRequestLogHourly1764720000000 } from './1764720000000-create-request-log-hourly';
import { CreateServiceRole1764979200000 } from './1764979200000-create-service-role';

/** Every migration, oldest first. Listed explicitly so the webpack bundle contains them. */
export const MIGRATIONS = [
  CreateRequestLog1764460800000,
  BoundRequestLog1764633600000,
  CreateRequestLogHourly1764720000000,
  CreateServiceRole1764979200000,
];
