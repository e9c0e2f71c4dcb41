/*
 * Preloaded into a service process by a test (NODE_OPTIONS=--require) to run it CLOCK_SHIFT_MS away from the real
 * clock: the services read time only through Date, so a feedback service started two days back agrees action items
 * that are past their due date for the real one (the decider refuses a due date in the past, as it should).
 * A proxy, not a subclass: libraries that look Date up by name or use instanceof keep working.
 */
const shift = Number(process.env.CLOCK_SHIFT_MS ?? 0);
if (shift) {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  RealDate.now = () => realNow() + shift;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [RealDate.now()] : args, newTarget),
    apply: () => new RealDate(RealDate.now()).toString(),
  });
}
