import { type ApiConfig } from '@prod-e/api-config';
import { type DynamicModule, Global, Inject, Module } from '@nestjs/common';

/** Injection token of the validated, frozen ApiConfig (from loadApiConfig). */
export const API_CONFIG = Symbol('API_CONFIG');

/** `@InjectApiConfig() config: ApiConfig` */
export const InjectApiConfig = () => Inject(API_CONFIG);

/**
 * Provides the ApiConfig that main.ts (or a test) loaded. Loading happens before Nest starts, so
 * a bad variable is reported with every other bad variable and exit code 1, never a stack trace.
 */
@Global()
@Module({})
export class ApiConfigModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiConfigModule,
      providers: [{ provide: API_CONFIG, useValue: config }],
      exports: [API_CONFIG],
    };
  }
}
