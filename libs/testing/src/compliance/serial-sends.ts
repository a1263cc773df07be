/**
 * Runs a rig's sends one after the other, in call order. A rig hands out the offsets its messages will get
 * when a send is called and checks them against the broker when it resolves; two sends in flight at once (the
 * compliance flow sends while a rebalance test sends more) would interleave, and the check after one would
 * count the other's messages before the broker has them.
 */
export class SerialSends {
  private last: Promise<unknown> = Promise.resolve();

  /** Starts `send` once every earlier send settled; a failed send does not stop the later ones. */
  run<T>(send: () => Promise<T>): Promise<T> {
    const run = this.last.then(send);
    this.last = run.catch(() => undefined);
    return run;
  }
}
