import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * What the kernel tells an observer (the service runtime's metrics) without knowing it: Node's diagnostics channels,
 * which cost nothing while no one subscribes. The kernel stays free of any metrics library.
 */
export class KernelSignal<T> {
  // held here, so the channel (and its subscribers) lives as long as the module
  private readonly channel: diagnosticsChannel.Channel;

  constructor(name: string) {
    this.channel = diagnosticsChannel.channel(name);
  }

  publish(message: T): void {
    if (this.channel.hasSubscribers) this.channel.publish(message);
  }

  /** Returns the unsubscribe. */
  subscribe(listener: (message: T) => void): () => void {
    const onMessage = (message: unknown) => listener(message as T);
    this.channel.subscribe(onMessage);
    return () => this.channel.unsubscribe(onMessage);
  }
}

/** A command ran through executeCommand: accepted (events appended, or nothing to do), or rejected and why. */
export interface CommandOutcome {
  command: string;
  outcome: 'accepted' | 'rejected';
  /** for a rejection: the domain error's kind, `conflict` for a lost race or stale version, else `error` */
  reason?: string;
}

/** One write to an event store: which store (its collection), which operation, how long it took. */
export interface AppendTiming {
  store: string;
  operation: 'append' | 'append-batch' | 'import';
  seconds: number;
}

/** A new dead letter: an event a projection parked, or a message an inbox consumer sent to its dead-letter topic. */
export interface DeadLetterParked {
  kind: 'projection' | 'consumer';
  /** the projection, or the consumer's dead-letter topic */
  name: string;
}

export const commandOutcomes = new KernelSignal<CommandOutcome>('cbme:kernel:command');
export const appendTimings = new KernelSignal<AppendTiming>('cbme:kernel:append');
export const deadLettersParked = new KernelSignal<DeadLetterParked>('cbme:kernel:dead-letter');
