// The one event mixin every component shares, as Johnny-Five's lib/mixins/emitter.js: on, once,
// off, emit. Listeners live on the instance; the class itself holds no state. No Node 'events':
// the same code runs in XS.
//
// emit() allocates nothing, so a component may emit at every inference: a listener list is
// never changed in place, on() and off() replace it (copy on write), so emit() walks the list as
// it was when the event started without copying it, and passes at most two values without a
// rest array.

export type Listener = (...args: any[]) => void;

export class Emitter {
  private readonly listeners: { [event: string]: readonly Listener[] } = {};

  on(event: string, listener: Listener): this {
    if (typeof listener !== 'function') throw new TypeError(`on("${event}"): listener must be a function`);
    const list = this.listeners[event];
    this.listeners[event] = list ? list.concat(listener) : [listener];
    return this;
  }

  once(event: string, listener: Listener): this {
    if (typeof listener !== 'function') throw new TypeError(`once("${event}"): listener must be a function`);
    const wrapper: Listener = (a?: unknown, b?: unknown) => {
      this.off(event, wrapper);
      listener.call(this, a, b);
    };
    return this.on(event, wrapper);
  }

  off(event: string, listener: Listener): this {
    const list = this.listeners[event];
    if (list) {
      const at = list.indexOf(listener);
      if (at >= 0) this.listeners[event] = list.slice(0, at).concat(list.slice(at + 1));
    }
    return this;
  }

  /** How many listeners `event` has. */
  listenerCount(event: string): number {
    const list = this.listeners[event];
    return list ? list.length : 0;
  }

  /**
   * Calls the listeners in the order they were added, with `this` the emitter and up to two
   * values (Johnny-Five's events carry one or two); true when there was one.
   */
  emit(event: string, a?: unknown, b?: unknown): boolean {
    const list = this.listeners[event];
    if (!list || list.length === 0) return false;
    for (let i = 0; i < list.length; i++) list[i].call(this, a, b);
    return true;
  }
}
Object.freeze(Emitter.prototype);
