package dev.background.reliability;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A view of a {@link Vertx} that keeps a ledger of its one-shot timers: every {@code setTimer} is
 * live until its handler has run or {@code cancelTimer} removed it. Vert.x has no public way to
 * list its timers, so a tracker made on {@link #vertx()} is watched through this ledger: "no
 * timer remains" means {@link #live()} is 0. Every other method goes straight to the real
 * instance. Thread-safe.
 */
final class TimerLedger {

  private final Vertx real;
  private final Vertx view;
  /** id -> +1 once set and -1 once fired or cancelled; an entry is removed when it sums to 0. */
  private final ConcurrentHashMap<Long, Integer> live = new ConcurrentHashMap<>();
  private final AtomicLong set = new AtomicLong();
  private final AtomicLong fired = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();
  private final AtomicLong periodic = new AtomicLong();

  TimerLedger(Vertx real) {
    this.real = real;
    InvocationHandler handler = this::invoke;
    this.view = (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(),
        new Class<?>[] {Vertx.class}, handler);
  }

  /** The instance to give to {@code Tasks.create}. */
  Vertx vertx() {
    return view;
  }

  /** Timers set and neither fired nor cancelled yet. */
  int live() {
    return live.size();
  }

  /** The ids of the live timers, for a failure message. */
  Set<Long> liveIds() {
    return new TreeSet<>(live.keySet());
  }

  long set() {
    return set.get();
  }

  long fired() {
    return fired.get();
  }

  long cancelled() {
    return cancelled.get();
  }

  /** Periodic timers set through the view (the tracker is expected to set none). */
  long periodic() {
    return periodic.get();
  }

  @Override
  public String toString() {
    return "timers: " + set + " set, " + fired + " fired, " + cancelled + " cancelled, " + live()
        + " live";
  }

  private void count(long id, int delta) {
    live.merge(id, delta, (a, b) -> a + b == 0 ? null : a + b);
  }

  @SuppressWarnings("unchecked")
  private Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (name.equals("setTimer") && args.length == 2) {
      Handler<Long> h = (Handler<Long>) args[1];
      long id = real.setTimer((Long) args[0], timerId -> {
        fired.incrementAndGet();
        count(timerId, -1);
        h.handle(timerId);
      });
      set.incrementAndGet();
      count(id, +1);
      return id;
    }
    if (name.equals("cancelTimer") && args.length == 1) {
      boolean removed = real.cancelTimer((Long) args[0]);
      if (removed && live.containsKey((Long) args[0])) {
        cancelled.incrementAndGet();
        count((Long) args[0], -1);
      }
      return removed;
    }
    if (name.equals("setPeriodic")) {
      periodic.incrementAndGet();
    }
    if (name.equals("equals") && args != null && args.length == 1) {
      return proxy == args[0];
    }
    if (name.equals("hashCode") && (args == null || args.length == 0)) {
      return System.identityHashCode(proxy);
    }
    if (name.equals("toString") && (args == null || args.length == 0)) {
      return "TimerLedger(" + real + ")";
    }
    try {
      return method.invoke(real, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
