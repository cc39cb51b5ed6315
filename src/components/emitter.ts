// The one event mixin every component shares, as Johnny-Five's lib/mixins/emitter.js: on, once,
// off, emit. Listeners live on the instance; the class itself holds no state.

export type Listener = (...args: any[]) => void;

export class Emitter {
  private readonly listeners: { [event: string]: Listener[] } = {};

  on(event: string, listener: Listener): this {
    if (typeof listener !== 'function') throw new TypeError(`on("${event}"): listener must be a function`);
    (this.listeners[event] ??= []).push(listener);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapper: Listener = (...args) => {
      this.off(event, wrapper);
      listener.apply(this, args);
    };
    return this.on(event, wrapper);
  }

  off(event: string, listener: Listener): this {
    const list = this.listeners[event];
    if (list) {
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
    }
    return this;
  }

  /** Calls the listeners in the order they were added; true when there was one. */
  emit(event: string, ...args: unknown[]): boolean {
    const list = this.listeners[event];
    if (!list || list.length === 0) return false;
    for (const listener of list.slice()) listener.apply(this, args);
    return true;
  }
}
Object.freeze(Emitter.prototype);
