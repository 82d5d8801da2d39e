import { Global, Module } from '@nestjs/common';

import { HttpDrain } from './http-drain';
import { ShutdownState } from './shutdown-state.service';

@Global()
@Module({ providers: [ShutdownState, HttpDrain], exports: [ShutdownState, HttpDrain] })
export class LifecycleModule {}
