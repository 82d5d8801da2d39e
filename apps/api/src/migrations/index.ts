import { CreateRequestLog1764460800000 } from './1764460800000-create-request-log';
import { CreateServiceRole1764979200000 } from './1764979200000-create-service-role';

/** Every migration, oldest first. Listed explicitly so the webpack bundle contains them. */
export const MIGRATIONS = [CreateRequestLog1764460800000, CreateServiceRole1764979200000];
