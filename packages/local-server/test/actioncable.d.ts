// The little of @rails/actioncable's API these tests use (it ships no types).
declare module "@rails/actioncable" {
  export const adapters: { WebSocket: unknown; logger: unknown }
  export interface Subscription {
    perform(action: string, data?: object): boolean
    unsubscribe(): void
  }
  export interface Consumer {
    readonly connection: { isOpen(): boolean }
    readonly subscriptions: {
      create(
        params: Record<string, unknown>,
        mixin: { connected?(): void; disconnected?(): void; received?(data: any): void; rejected?(): void }
      ): Subscription
    }
    disconnect(): void
  }
  export function createConsumer(url: string): Consumer
}
