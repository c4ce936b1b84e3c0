import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Inbox } from './inbox.js';
import { MESSAGING_OPTIONS, type MessagingOptions } from './messaging-options.js';
import { Outbox } from './outbox.js';
import { OutboxRelay } from './outbox-relay.js';
import { QueueRegistry } from './queue-registry.js';
import { WorkerHost } from './worker-host.js';

/** Queues, the outbox and its relay, the inbox, and the workers of one service. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [{ provide: MESSAGING_OPTIONS, useValue: options }, QueueRegistry, Outbox, OutboxRelay, Inbox, WorkerHost],
      exports: [MESSAGING_OPTIONS, QueueRegistry, Outbox, OutboxRelay, Inbox],
    };
  }
}
